/**
 * Chinese query analysis for catalogue search: a query is cut into words with jieba
 * (@node-rs/jieba, the maintained Rust port), so `公积金提取` finds 提取住房公积金 and
 * `道路挖掘` finds 占用、挖掘城市道路审批. Mixed text (`ICP 备案`) keeps its Latin words.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let jieba: Jieba | undefined;

/** The segmenter, with its dictionary loaded on first use. */
function segmenter(): Jieba {
  return (jieba ??= Jieba.withDict(dict));
}

/** Most words a query may have; the rest are ignored. */
export const MAX_QUERY_TERMS = 8;

/**
 * The search words of `q`, lower-cased, without punctuation or duplicates: each
 * whitespace-separated part is cut into words (jieba precise mode).
 */
export function queryTerms(q: string | undefined): string[] {
  const parts = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!parts.length) return [];
  const terms: string[] = [];
  for (const part of parts) {
    for (const w of segmenter().cut(part, false)) {
      const t = w.trim();
      if (t && /[\p{L}\p{N}]/u.test(t) && !terms.includes(t)) terms.push(t);
    }
  }
  return terms.slice(0, MAX_QUERY_TERMS);
}

/** The index words of a text: jieba's search mode (words and their sub-words), lower-cased, punctuation dropped. */
export function cutForIndex(text: string): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const w of segmenter().cutForSearch(text.toLowerCase(), true)) {
    // jieba's search mode keeps "spj-001" whole where its precise mode (queries) splits it.
    for (const t of w.split(/[^\p{L}\p{N}]+/u)) if (t) out.push(t);
  }
  return out;
}
