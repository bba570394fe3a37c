/**
 * Translates schema-validation issues (zod 4 issue codes) into Chinese or English, so a
 * VALIDATION_ERROR message reads in the caller's language.
 */
import type { Lang } from './errors.js';

interface Issue {
  code?: string;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  format?: string;
  values?: unknown[];
  keys?: string[];
  message?: string;
}

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'a string' },
  number: { 'zh-CN': '数字', en: 'a number' },
  int: { 'zh-CN': '整数', en: 'an integer' },
  boolean: { 'zh-CN': '布尔值', en: 'a boolean' },
  object: { 'zh-CN': '对象', en: 'an object' },
  array: { 'zh-CN': '数组', en: 'an array' },
  record: { 'zh-CN': '对象', en: 'an object' },
};

/** One issue as a sentence in `lang`, prefixed with where it is (`/page`, `body.rating`…). */
export function describeIssue(where: string, issue: Issue, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const at = where ? `${where}${zh ? '：' : ': '}` : '';
  const type = (t?: string) => (t && TYPE_NAMES[t] ? TYPE_NAMES[t][lang] : (t ?? ''));
  const unit = (origin?: string) => (origin === 'string' ? (zh ? '个字符' : ' characters') : origin === 'array' ? (zh ? '项' : ' items') : '');
  switch (issue.code) {
    case 'invalid_type':
      return at + (zh ? `应为${type(issue.expected)}` : `expected ${type(issue.expected)}`);
    case 'too_small':
      return at + (zh ? `不能小于 ${issue.minimum}${unit(issue.origin)}` : `must be at least ${issue.minimum}${unit(issue.origin)}`);
    case 'too_big':
      return at + (zh ? `不能大于 ${issue.maximum}${unit(issue.origin)}` : `must be at most ${issue.maximum}${unit(issue.origin)}`);
    case 'invalid_format':
      return at + (zh ? `格式不正确（${issue.format}）` : `wrong format (${issue.format})`);
    case 'invalid_value':
      return at + (zh ? `取值应为 ${(issue.values ?? []).join('、')} 之一` : `must be one of ${(issue.values ?? []).join(', ')}`);
    case 'unrecognized_keys':
      return at + (zh ? `不认识的字段 ${(issue.keys ?? []).join('、')}` : `unknown fields ${(issue.keys ?? []).join(', ')}`);
    case 'invalid_union':
      return at + (zh ? '不符合任何允许的形式' : 'matches none of the allowed forms');
    default:
      return at + (zh ? '取值无效' : (issue.message ?? 'invalid value'));
  }
}
