/**
 * Pure helpers of the item workflow page (办理流程配置, ItemWorkflowPage.tsx): the item as
 * `GET /items/{code}` answers it mapped back to the shape `PUT /items/{code}` takes, and the
 * review steps (后台分类审批) and exemption list (豁免清单) as edited. No React, no i18n: unit-tested
 * in test/web-item-workflow.test.ts.
 */
import type { ServiceItemInput } from '../../../src/modules/catalog/rules';
import { DEFAULT_REVIEW_STEPS, EXEMPTION_CATEGORIES, type ExemptionCategory, type ReviewStep } from '../../../src/modules/catalog/service-types';

export { EXEMPTION_CATEGORIES, type ExemptionCategory, type ReviewStep };
export const EXEMPTION_CATEGORY_CODES = Object.keys(EXEMPTION_CATEGORIES) as ExemptionCategory[];

/** The save shape of an item (src/modules/catalog/rules.ts `ServiceItemInput`). */
export type ItemInput = ServiceItemInput;
type MaterialInput = ItemInput['materials'][number];

/** A material as the single item lists it: the input fields plus its id and position. */
export type GuideMaterial = Omit<MaterialInput, 'note'> & { id: number; seq: number; note: string | null };

/**
 * The single item as `GET /items/{code}` answers it: every element of the input shape, plus
 * read-only fields (typeName, departmentName, pinyinInitials, material ids) the save does not take.
 */
export type ItemGuide = Omit<ItemInput, 'materials' | 'reviewDepartmentCode' | 'decisionDepartmentCode'> & {
  reviewDepartmentCode: string;
  decisionDepartmentCode: string;
  typeName: string;
  departmentName: string | null;
  pinyinInitials?: string;
  materials: GuideMaterial[];
};

/**
 * The item in the shape `PUT /items/{code}` takes, with `reviewSteps` replaced. Every element is
 * named here (the type requires each one), so an element added to the catalogue later is a
 * compile error here rather than silently dropped by a save. Material order is kept: the server
 * keeps material ids position by position, and exemptions and applications refer to them by id.
 */
export function toItemInput(item: ItemGuide, reviewSteps: ReviewStep[] | null): ItemInput {
  return {
    code: item.code,
    name: item.name,
    baseCode: item.baseCode,
    type: item.type,
    departmentCode: item.departmentCode,
    reviewDepartmentCode: item.reviewDepartmentCode,
    decisionDepartmentCode: item.decisionDepartmentCode,
    delegatedFrom: item.delegatedFrom,
    serviceObjects: item.serviceObjects,
    statutoryLimitDays: item.statutoryLimitDays,
    statutoryLimitUnit: item.statutoryLimitUnit,
    committedLimitDays: item.committedLimitDays,
    committedLimitUnit: item.committedLimitUnit,
    limitUnknown: item.limitUnknown,
    projectType: item.projectType,
    onlineDepth: item.onlineDepth,
    requiredVisits: item.requiredVisits,
    visitReason: item.visitReason,
    serviceLevels: item.serviceLevels,
    channels: item.channels,
    appointment: item.appointment,
    townAvailable: item.townAvailable,
    kioskAvailable: item.kioskAvailable,
    licenseFree: item.licenseFree,
    acceptanceConditions: item.acceptanceConditions,
    fees: item.fees,
    specialProcedures: item.specialProcedures,
    notificationCommitment: item.notificationCommitment,
    resultLicenseType: item.resultLicenseType ?? null,
    reviewSteps: reviewSteps === null ? null : reviewSteps.map(cleanStep),
    legalBasis: item.legalBasis,
    // `note` (internal provenance) is never in the answer; the server keeps the stored one
    limitSource: item.limitSource,
    themes: item.themes,
    keywords: item.keywords,
    materials: [...item.materials]
      .sort((a, b) => a.seq - b.seq)
      .map((m) => ({
        name: m.name,
        kind: m.kind,
        original: m.original,
        copies: m.copies,
        required: m.required,
        licenseType: m.licenseType,
        conditionalAllowed: m.conditionalAllowed,
        note: m.note ?? '',
      })),
  };
}

/** A step with only the fields the catalogue stores, `joint` only on a joint step. */
function cleanStep(s: ReviewStep): ReviewStep {
  return { name: s.name, role: s.role, department: s.department, ...(s.joint?.length ? { joint: [...s.joint] } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Review steps as edited

/** Limits of the catalogue schema (rules.ts): 1–8 steps, names of 1–40 characters, 2–12 joint departments. */
export const STEP_LIMITS = { maxSteps: 8, maxName: 40, minJoint: 2, maxJoint: 12 } as const;

/** One step in the editor: `jointOn` with its departments kept while switched off. */
export interface StepDraft {
  key: string;
  name: string;
  role: 'reviewer' | 'signatory';
  /** `review`, `decision` or a department code; the lead department of a joint step */
  department: string;
  jointOn: boolean;
  joint: string[];
}

let draftSeq = 0;
const draftKey = () => `step-${++draftSeq}`;

/** The editor's rows for stored steps; the default single review when none are stored. */
export function toDrafts(steps: readonly ReviewStep[] | null | undefined): StepDraft[] {
  return (steps?.length ? steps : DEFAULT_REVIEW_STEPS).map((s) => ({
    key: draftKey(),
    name: s.name,
    role: s.role,
    department: s.department,
    jointOn: !!s.joint?.length,
    joint: [...(s.joint ?? [])],
  }));
}

/** A new step for the end of the list: a second review (复审) by the decision department. */
export function newDraft(name: string): StepDraft {
  return { key: draftKey(), name, role: 'reviewer', department: 'decision', jointOn: false, joint: [] };
}

/** The steps to save, from the editor's rows (names trimmed). */
export function fromDrafts(drafts: readonly StepDraft[]): ReviewStep[] {
  return drafts.map((d) => cleanStep({ name: d.name.trim(), role: d.role, department: d.department, ...(d.jointOn ? { joint: d.joint } : {}) }));
}

/** `list` with the element at `from` moved to `to` (both in range, else unchanged). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || to < 0 || from >= list.length || to >= list.length || from === to) return [...list];
  const out = [...list];
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x!);
  return out;
}

/** What is wrong with one step, or with the list, as stable codes the page translates. */
export type StepProblem =
  | { index: number; code: 'nameRequired' | 'nameTooLong' | 'departmentRequired' | 'jointTooFew' | 'jointTooMany' }
  | { index: number; code: 'jointDuplicate'; department: string }
  | { index: -1; code: 'tooMany' | 'empty' };

/**
 * Checks the steps as the catalogue schema does, and one thing it does not: the departments of a
 * joint step must be different departments once `review` / `decision` are resolved (else one
 * department's opinion would count twice).
 * @param resolve `review` / `decision` to the item's department codes
 */
export function stepProblems(drafts: readonly StepDraft[], resolve: (d: string) => string): StepProblem[] {
  const out: StepProblem[] = [];
  if (drafts.length === 0) out.push({ index: -1, code: 'empty' });
  if (drafts.length > STEP_LIMITS.maxSteps) out.push({ index: -1, code: 'tooMany' });
  drafts.forEach((d, index) => {
    const name = d.name.trim();
    if (!name) out.push({ index, code: 'nameRequired' });
    else if (name.length > STEP_LIMITS.maxName) out.push({ index, code: 'nameTooLong' });
    if (!d.department) out.push({ index, code: 'departmentRequired' });
    if (d.jointOn) {
      if (d.joint.length < STEP_LIMITS.minJoint) out.push({ index, code: 'jointTooFew' });
      if (d.joint.length > STEP_LIMITS.maxJoint) out.push({ index, code: 'jointTooMany' });
      const seen = new Set<string>();
      for (const j of d.joint) {
        const r = resolve(j);
        if (seen.has(r)) {
          out.push({ index, code: 'jointDuplicate', department: r });
          break;
        }
        seen.add(r);
      }
    }
  });
  return out;
}

/** Whether two step configurations are the same (null = the default). */
export function sameSteps(a: readonly ReviewStep[] | null, b: readonly ReviewStep[] | null): boolean {
  if (a === null || b === null) return a === b;
  return JSON.stringify(a.map(cleanStep)) === JSON.stringify(b.map(cleanStep));
}

// ---------------------------------------------------------------------------------------------
// Exemption list

/** An entry as `GET /items/{code}/exemptions` lists it. */
export interface Exemption {
  materialId: number;
  name?: string;
  category: ExemptionCategory;
  categoryName?: string;
  basis: string;
}

/** One row in the editor: material and category unset on a new row. */
export interface ExemptionDraft {
  key: string;
  materialId: number | null;
  category: ExemptionCategory | null;
  basis: string;
}

let exemptionSeq = 0;
export function toExemptionDrafts(items: readonly Exemption[]): ExemptionDraft[] {
  return items.map((e) => ({ key: `ex-${++exemptionSeq}`, materialId: e.materialId, category: e.category, basis: e.basis }));
}
export function newExemptionDraft(): ExemptionDraft {
  return { key: `ex-${++exemptionSeq}`, materialId: null, category: null, basis: '' };
}

/** The body of `PUT /items/{code}/exemptions` from complete rows (basis trimmed). */
export function fromExemptionDrafts(drafts: readonly ExemptionDraft[]): { items: { materialId: number; category: ExemptionCategory; basis: string }[] } {
  return { items: drafts.map((d) => ({ materialId: d.materialId!, category: d.category!, basis: d.basis.trim() })) };
}

/** The limits of `PUT /items/{code}/exemptions`: at most 200 entries, a basis of 1–300 characters. */
export const EXEMPTION_LIMITS = { maxEntries: 200, maxBasis: 300 } as const;

export type ExemptionProblem =
  | { index: number; code: 'materialRequired' | 'categoryRequired' | 'basisRequired' | 'basisTooLong' | 'duplicate' | 'materialUnknown' }
  | { index: -1; code: 'tooMany' };

/**
 * What is wrong with the rows: each needs a material of the item, a category and a basis; a
 * material is waived once per category (the server would silently keep only the first).
 */
export function exemptionProblems(drafts: readonly ExemptionDraft[], materialIds: readonly number[]): ExemptionProblem[] {
  const out: ExemptionProblem[] = [];
  if (drafts.length > EXEMPTION_LIMITS.maxEntries) out.push({ index: -1, code: 'tooMany' });
  const seen = new Set<string>();
  drafts.forEach((d, index) => {
    if (d.materialId === null) out.push({ index, code: 'materialRequired' });
    else if (!materialIds.includes(d.materialId)) out.push({ index, code: 'materialUnknown' });
    if (d.category === null) out.push({ index, code: 'categoryRequired' });
    const basis = d.basis.trim();
    if (!basis) out.push({ index, code: 'basisRequired' });
    else if (basis.length > EXEMPTION_LIMITS.maxBasis) out.push({ index, code: 'basisTooLong' });
    if (d.materialId !== null && d.category !== null) {
      const k = `${d.materialId}/${d.category}`;
      if (seen.has(k)) out.push({ index, code: 'duplicate' });
      seen.add(k);
    }
  });
  return out;
}

/** Whether the rows say the same as the saved list (order ignored). */
export function sameExemptions(drafts: readonly ExemptionDraft[], saved: readonly Exemption[]): boolean {
  const key = (x: { materialId: number | null; category: string | null; basis: string }) => `${x.materialId}/${x.category}/${x.basis.trim()}`;
  const a = drafts.map(key).sort();
  const b = saved.map(key).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
