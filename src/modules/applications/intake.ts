/**
 * Who an application is for and who submits it (一窗受理, 帮办代办): the applicant themself
 * online; a window clerk in person for an applicant identified by citizen ID number (GB 11643)
 * or unified social credit code (GB 32100), both checksum-validated; or an authorised agent.
 * Also the applicant categories that exemption lists (豁免清单) name.
 */
import crypto from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { shanghaiDate } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { isValidCitizenId, isValidUscc } from '../../platform/personal-data.js';
import { activeAuthorization } from '../agency/service.js';
import { materialExemptions } from '../catalog/schema.js';
import type { ExemptionCategory } from '../catalog/service-types.js';
import { piiVault } from '../../platform/pii-vault.js';
import { users } from '../identity/schema.js';
import { applicantUsername, findUserByIdNumber, idNumberOf, sealUserPii } from '../identity/pii.js';
import type { Principal } from '../identity/service.js';

/** The applicant a window clerk takes an application for. */
export interface ApplicantInput {
  kind: 'person' | 'enterprise';
  /** citizen ID number (person) or unified social credit code (enterprise) */
  idNumber: string;
  /** the person's name or the enterprise's registered name */
  name: string;
}

/** The resolved parties of a new application. */
export interface Parties {
  /** `idNumber` opened, for the platform's checks only (exemption categories, licences): never shown from here */
  applicant: { id: string; displayName: string; kind: 'person' | 'enterprise'; idNumber: string | null };
  /** the clerk who took it in person */
  takenById: string | null;
  /** the region of the service point taking it (the clerk's or agent's); null online: the department's */
  regionCode: string | null;
  /** the agent who submitted it for the applicant */
  agent: { id: string; displayName: string } | null;
  channel: 'window' | 'online';
}

/**
 * Finds the applicant's account by identifier, or opens one that cannot sign in (no password)
 * so the applicant can later claim it; the name must match the one registered.
 * @throws AppError APPLICANT_ID_INVALID, APPLICANT_NAME_MISMATCH
 */
async function applicantByIdentifier(db: Db, input: ApplicantInput): Promise<Parties['applicant']> {
  const id = input.idNumber.trim().toUpperCase();
  const name = input.name.trim();
  if (input.kind === 'person' ? !isValidCitizenId(id) : !isValidUscc(id)) {
    throw new AppError('APPLICANT_ID_INVALID', { kind: input.kind === 'person' ? { 'zh-CN': '公民身份号码（GB 11643）', en: 'citizen ID number (GB 11643)' } : { 'zh-CN': '统一社会信用代码（GB 32100）', en: 'unified social credit code (GB 32100)' } });
  }
  // found by the number's keyed search hash: the column holds it sealed (identity/pii.ts)
  const find = () => findUserByIdNumber(db, input.kind, id);
  let u = await find();
  if (!u) {
    // username from the number's keyed hash: stable, unique, and not computable from the number alone
    const vault = piiVault();
    await db
      .insert(users)
      .values({ id: crypto.randomUUID(), username: applicantUsername(vault, input.kind, id), passwordHash: '!', displayName: name, kind: input.kind, roles: [input.kind === 'person' ? 'citizen' : 'enterprise'], ...sealUserPii(vault, { idNumber: id }) })
      .onConflictDoNothing();
    u = (await find())!;
  }
  if (u.displayName !== name) throw new AppError('APPLICANT_NAME_MISMATCH');
  // the clerk typed the number: it is theirs already, nothing is opened
  return { id: u.id, displayName: u.displayName, kind: u.kind as 'person' | 'enterprise', idNumber: id };
}

/**
 * Resolves the parties of a new application submitted by `p`:
 * - a citizen or enterprise applies for themself (online);
 * - a clerk takes it at the window for `applicant` (required);
 * - an agent submits for `onBehalfOf`, who must have authorised them for the item today.
 * @throws AppError FORBIDDEN, APPLICANT_REQUIRED, APPLICANT_ID_INVALID, APPLICANT_NAME_MISMATCH,
 *   AGENT_NOT_AUTHORIZED
 */
export async function resolveParties(db: Db, p: Principal, input: { itemCode: string; applicant?: ApplicantInput; onBehalfOf?: string }, now: Date): Promise<Parties> {
  if (p.roles.includes('clerk') && input.applicant) {
    return { applicant: await applicantByIdentifier(db, input.applicant), takenById: p.id, agent: null, channel: 'window', regionCode: p.regionCode };
  }
  if (p.roles.includes('agent') && input.onBehalfOf) {
    const auth = isUuid(input.onBehalfOf) ? await activeAuthorization(db, p.id, input.onBehalfOf, input.itemCode, shanghaiDate(now)) : undefined;
    if (!auth) throw new AppError('AGENT_NOT_AUTHORIZED');
    const [u] = await db.select().from(users).where(eq(users.id, auth.principalId));
    // the number is opened for the platform's checks (exemption categories, licences), not shown to the agent
    return { applicant: { id: u!.id, displayName: u!.displayName, kind: u!.kind as 'person' | 'enterprise', idNumber: await idNumberOf(db, u!.id) }, takenById: null, agent: { id: p.id, displayName: p.displayName }, channel: 'online', regionCode: p.regionCode };
  }
  if (p.roles.includes('clerk')) throw new AppError('APPLICANT_REQUIRED');
  if (p.kind !== 'person' && p.kind !== 'enterprise') throw new AppError('FORBIDDEN');
  // an applicant applies for themself: naming someone else is not theirs to do
  if (input.applicant || input.onBehalfOf) throw new AppError('FORBIDDEN');
  return { applicant: { id: p.id, displayName: p.displayName, kind: p.kind, idNumber: await idNumberOf(db, p.id) }, takenById: null, agent: null, channel: 'online', regionCode: null };
}

/**
 * The exemption categories an applicant falls in: `person` or `enterprise`, and `elderly` for a
 * person aged 60 or more on `today` (birth date from the ID number, GB 11643 positions 7–14).
 */
export function applicantCategories(applicant: Parties['applicant'], today: string): ExemptionCategory[] {
  if (applicant.kind === 'enterprise') return ['enterprise'];
  const out: ExemptionCategory[] = ['person'];
  const id = applicant.idNumber;
  if (id && /^\d{17}[\dX]$/.test(id)) {
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    const sixtieth = `${Number(birth.slice(0, 4)) + 60}${birth.slice(4)}`;
    if (sixtieth <= today) out.push('elderly');
  }
  return out;
}

/** The item's materials waived for `categories`, each with the exemption's basis. */
export async function exemptedMaterials(db: Db, itemCode: string, categories: ExemptionCategory[], names: Map<number, string>) {
  const rows = await db
    .select({ materialId: materialExemptions.materialId, basis: materialExemptions.basis })
    .from(materialExemptions)
    .where(and(eq(materialExemptions.itemCode, itemCode), inArray(materialExemptions.category, categories)));
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.materialId) && seen.add(r.materialId)).map((r) => ({ materialId: r.materialId, name: names.get(r.materialId) ?? '', basis: r.basis }));
}
