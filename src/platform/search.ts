/**
 * Chinese query analysis for catalogue search: a query is cut into words with jieba
 * (@node-rs/jieba, the maintained Rust port), so `公积金提取` finds 提取住房公积金 and
 * `道路挖掘` finds 占用、挖掘城市道路审批. Mixed text (`ICP 备案`) keeps its Latin words.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let jieba: Jieba | undefined;

/** Most words a query may have; the rest are ignored. */
export const MAX_QUERY_TERMS = 8;

/**
 * The search words of `q`, lower-cased, without punctuation or duplicates: each
 * whitespace-separated part is cut into words (jieba precise mode).
 */
export function queryTerms(q: string | undefined): string[] {
  const parts = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!parts.length) return [];
  jieba ??= Jieba.withDict(dict);
  const terms: string[] = [];
  for (const part of parts) {
    for (const w of jieba.cut(part, false)) {
      const t = w.trim();
      if (t && /[\p{L}\p{N}]/u.test(t) && !terms.includes(t)) terms.push(t);
    }
  }
  return terms.slice(0, MAX_QUERY_TERMS);
}
