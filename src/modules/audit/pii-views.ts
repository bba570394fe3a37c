/**
 * Whole views of personal data (个人信息查看留痕): every time a sealed ID number or phone is shown
 * or printed whole for someone other than the person it belongs to, an audit event `pii.view` is
 * appended to the person's own chain, stream `pii:<subject>` (`pii:user:<account id>`, or
 * `pii:license:<licence id>` for a licence holder without an account), with who, which fields,
 * why, and the record it was shown for. The values themselves are never logged.
 *
 * Uses inside the platform that show nothing (a hash lookup, the birth date for an exemption
 * list, verifying a licence's seal) are not views; the subject seeing their own data is not
 * logged either.
 */
import type { Db } from '../../db/index.js';
import { appendAudit, auditTrail } from './service.js';

/** Why a person's numbers are seen whole: a closed list, each with its label. */
export const PII_PURPOSES = {
  window_identity_check: { 'zh-CN': '窗口核验身份', en: 'identity check at the window' },
  contact_applicant: { 'zh-CN': '联系申请人', en: 'contacting the applicant' },
  case_review: { 'zh-CN': '审查核实', en: 'verification during review' },
  license_issuance: { 'zh-CN': '签发电子证照', en: 'licence issuance' },
  license_use: { 'zh-CN': '办件用证', en: 'licence use for an application' },
} as const;
export type PiiPurpose = keyof typeof PII_PURPOSES;
export const PII_PURPOSE_CODES = Object.keys(PII_PURPOSES) as [PiiPurpose, ...PiiPurpose[]];

/** One whole view. */
export interface PiiView {
  /** who saw it; null for the platform itself */
  actor: { id: string | null; displayName: string } | null;
  /** whose data: `user:<account id>` or `license:<licence id>` */
  subject: string;
  /** the sealed fields shown, e.g. `users.id_number`, `applications.form.phone` */
  fields: string[];
  purpose: PiiPurpose;
  /** the record it was shown for, e.g. `application:<id>`, `license:<id>` */
  record: string | null;
}

/** Appends a `pii.view` event to the subject's chain (in the caller's transaction when it is one). */
export async function recordPiiView(db: Db, v: PiiView, now: Date): Promise<void> {
  await appendAudit(db, { stream: `pii:${v.subject}`, kind: 'pii.view', actor: v.actor, payload: { subject: v.subject, fields: v.fields, purpose: v.purpose, record: v.record } }, now);
}

/** The whole views of a subject's data, oldest first: `[{seq, kind, actorName, payload: {subject, fields, purpose, record}, createdAt}]`. */
export async function piiViewsOf(db: Db, subject: string) {
  return auditTrail(db, `pii:${subject}`);
}
