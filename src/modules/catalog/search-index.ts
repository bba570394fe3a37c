/**
 * The in-process catalogue search index (MiniSearch), so a search answers from memory in well
 * under a millisecond instead of scanning the table. Built from the database on first use and
 * rebuilt after catalogue writes on this node, or after {@link INDEX_TTL_MS} for writes made on
 * other nodes.
 *
 * Matching: the query is cut into words with jieba ({@link queryTerms}); every word must match
 * (AND), as a prefix of a word of the item's name, code, keywords or department, or of the pinyin
 * initials of its name (sgxk → 建筑工程施工许可证核发 via "jzgcsgxkz").
 */
import MiniSearch from 'minisearch';
import { cutForIndex, queryTerms } from '../../platform/search.js';

/** How long a node trusts its index before rebuilding it, in ms. */
export const INDEX_TTL_MS = 60_000;

export interface IndexedItem {
  code: string;
  name: string;
  departmentCode: string;
  departmentName: string | null;
  keywords: string[];
  pinyinInitials: string;
  serviceLevels: string[];
  channels: string[];
  themes: string[];
}

export interface IndexQuery {
  q?: string;
  departmentCode?: string;
  level?: string;
  channel?: string;
  theme?: string;
  page: number;
  pageSize: number;
}

/** Every suffix of the initials, so a typed run of initials matches in the middle of a name. */
function suffixes(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i));
  return out;
}

export class CatalogIndex<T extends IndexedItem> {
  private readonly search: MiniSearch<{ id: number; name: string; code: string; keywords: string; departmentName: string; initials: string }>;
  private readonly byCode: T[];

  constructor(items: T[]) {
    this.byCode = [...items].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.search = new MiniSearch({
      fields: ['name', 'code', 'keywords', 'departmentName', 'initials'],
      tokenize: (text, field) => (field === 'initials' ? suffixes(text) : cutForIndex(text)),
      processTerm: (term) => term.toLowerCase(),
      searchOptions: { tokenize: (term) => [term], combineWith: 'AND', prefix: true, boost: { name: 3, code: 2, keywords: 2, departmentName: 1, initials: 1 } },
    });
    this.search.addAll(
      this.byCode.map((it, id) => ({
        id,
        name: it.name,
        code: it.code,
        keywords: it.keywords.join(' '),
        departmentName: it.departmentName ?? '',
        initials: it.pinyinInitials,
      })),
    );
  }

  /** Items matching the query and filters, best first (then by code), one page of them. */
  query(q: IndexQuery): { items: T[]; total: number } {
    const keep = (it: T) =>
      (!q.departmentCode || it.departmentCode === q.departmentCode) &&
      (!q.level || it.serviceLevels.includes(q.level)) &&
      (!q.channel || it.channels.includes(q.channel)) &&
      (!q.theme || it.themes.includes(q.theme));
    const terms = queryTerms(q.q);
    let hits: T[];
    if (!terms.length) hits = this.byCode.filter(keep);
    else {
      const results = this.search.search({ combineWith: 'AND', queries: terms });
      hits = results
        .map((r) => ({ it: this.byCode[r.id as number]!, score: r.score }))
        .filter((h) => keep(h.it))
        .sort((a, b) => b.score - a.score || (a.it.code < b.it.code ? -1 : 1))
        .map((h) => h.it);
    }
    const start = (q.page - 1) * q.pageSize;
    return { items: hits.slice(start, start + q.pageSize), total: hits.length };
  }
}
