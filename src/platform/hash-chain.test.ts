import { describe, expect, it } from 'vitest';
import { chainHash, findBrokenLinks, type ChainLink } from './hash-chain.js';
import { sm3Hex } from './gm-crypto.js';

function chain(name: string, contents: unknown[]): ChainLink[] {
  let prev: string | null = null;
  return contents.map((content, i) => {
    const hash = chainHash(prev, content);
    const link = { chain: name, seq: i + 1, prevHash: prev, hash, content };
    prev = hash;
    return link;
  });
}

describe('hash chains', () => {
  it('hashes the previous hash, a new line and the canonical JSON (keys sorted)', () => {
    expect(chainHash(null, { b: 1, a: 2 })).toBe(sm3Hex('\n{"a":2,"b":1}'));
    expect(chainHash('ab', [1])).toBe(sm3Hex('ab\n[1]'));
  });

  it('finds intact chains intact', () => {
    expect(findBrokenLinks([...chain('a', [1, 2, 3]), ...chain('b', ['x'])])).toEqual({ chains: 2, broken: [] });
  });

  it('names the first broken link of each chain: changed content, a relinked event, a missing event', () => {
    const changed = chain('a', [1, 2, 3]);
    changed[1] = { ...changed[1]!, content: 22 };
    const relinked = chain('b', [1, 2]);
    relinked[1] = { ...relinked[1]!, prevHash: 'f'.repeat(64) };
    const gap = chain('c', [1, 2, 3]).filter((l) => l.seq !== 2);
    expect(findBrokenLinks([...changed, ...relinked, ...gap]).broken).toEqual([
      { chain: 'a', seq: 2, problem: 'hash' },
      { chain: 'b', seq: 2, problem: 'link' },
      { chain: 'c', seq: 3, problem: 'gap' },
    ]);
  });
});
