/**
 * Hash chains for tamper evidence (DESIGN: append-only logs). Each link's hash is
 * SM3(previous hash ‖ "\n" ‖ canonical JSON of its content), the first link chaining from the
 * empty string; a chain is broken where a link's seq skips (`gap`), its stored previous hash is
 * not the previous link's (`link`), or its hash does not match its content (`hash`).
 */
import { canonicalJson } from './canonical-json.js';
import { sm3Hex } from './gm-crypto.js';

/** The chain hash of `content` after `prevHash` (null for the first link), 64 hex. */
export function chainHash(prevHash: string | null, content: unknown): string {
  return sm3Hex(`${prevHash ?? ''}\n${canonicalJson(content)}`);
}

/** A stored link: its chain, position (1, 2, 3 …), stored hashes and the content hashed. */
export interface ChainLink {
  chain: string;
  seq: number;
  prevHash: string | null;
  hash: string | null;
  content: unknown;
}

export interface BrokenLink {
  chain: string;
  seq: number;
  problem: 'hash' | 'link' | 'gap';
}

/**
 * Walks links ordered by chain, then seq, and reports the first broken link of each broken chain.
 * @returns how many chains were seen and their first broken links
 */
export function findBrokenLinks(links: Iterable<ChainLink>): { chains: number; broken: BrokenLink[] } {
  const broken: BrokenLink[] = [];
  let chain: string | undefined;
  let prevHash: string | null = null;
  let expected = 1;
  let failed = false;
  let chains = 0;
  for (const l of links) {
    if (l.chain !== chain) {
      chain = l.chain;
      prevHash = null;
      expected = 1;
      failed = false;
      chains++;
    }
    if (failed) continue;
    const problem = l.seq !== expected ? 'gap' : l.prevHash !== prevHash ? 'link' : l.hash !== chainHash(prevHash, l.content) ? 'hash' : null;
    if (problem) {
      broken.push({ chain: l.chain, seq: l.seq, problem });
      failed = true;
      continue;
    }
    prevHash = l.hash;
    expected++;
  }
  return { chains, broken };
}
