// The item workflow page's pure helpers (web/src/pages/itemWorkflowLogic.ts): mapping the item
// back to the save shape, the review-step editor and the exemption list. No browser needed.
import { describe, expect, it } from 'vitest';
import {
  exemptionProblems,
  fromDrafts,
  moveItem,
  newExemptionDraft,
  sameExemptions,
  sameSteps,
  stepProblems,
  toDrafts,
  toExemptionDrafts,
  toItemInput,
  type ItemGuide,
} from '../web/src/pages/itemWorkflowLogic';
import { ServiceItemInput } from '../src/modules/catalog/rules';

const GUIDE = {
  code: 'QC-T-1',
  name: '测试事项',
  type: '01',
  typeName: '行政许可',
  departmentCode: 'QC-SPJ',
  departmentName: '清远市清城区行政审批局',
  reviewDepartmentCode: 'QC-ZJJ',
  decisionDepartmentCode: 'QC-SPJ',
  baseCode: null,
  delegatedFrom: null,
  serviceObjects: ['1', '2'],
  statutoryLimitDays: 20,
  statutoryLimitUnit: 'working_day',
  committedLimitDays: 5,
  committedLimitUnit: 'working_day',
  limitUnknown: false,
  projectType: 'commitment',
  onlineDepth: 'III',
  requiredVisits: 1,
  visitReason: '核验原件',
  serviceLevels: ['district'],
  channels: ['window', 'online'],
  appointment: false,
  townAvailable: false,
  kioskAvailable: false,
  licenseFree: true,
  acceptanceConditions: '',
  fees: { charged: false },
  specialProcedures: [{ kind: 'expert_review', typicalDays: 10, unit: 'working_day' }],
  notificationCommitment: { eligible: false },
  resultLicenseType: null,
  reviewSteps: null,
  legalBasis: '《测试条例》',
  limitSource: { statutory: '第一条' },
  themes: ['construction'],
  keywords: ['测试'],
  pinyinInitials: 'csxm',
  materials: [
    { id: 12, seq: 2, name: '乙', kind: 'plan', original: 1, copies: 2, required: false, licenseType: null, conditionalAllowed: true, note: '' },
    { id: 11, seq: 1, name: '甲', kind: 'identity', original: 1, copies: 0, required: true, licenseType: 'resident_id', conditionalAllowed: false, note: '原件核验' },
  ],
} as unknown as ItemGuide;

describe('item workflow logic', () => {
  it('maps the item back to the save shape: nothing read-only, materials in order, steps replaced', () => {
    const steps = [{ name: '复审', role: 'signatory' as const, department: 'decision' }];
    const input = toItemInput(GUIDE, steps);
    expect(input).not.toHaveProperty('typeName');
    expect(input).not.toHaveProperty('departmentName');
    expect(input).not.toHaveProperty('pinyinInitials');
    expect(input.materials.map((m) => m.name)).toEqual(['甲', '乙']);
    expect(input.materials[0]).toEqual({ name: '甲', kind: 'identity', original: 1, copies: 0, required: true, licenseType: 'resident_id', conditionalAllowed: false, note: '原件核验' });
    expect(input.reviewSteps).toEqual(steps);
    expect(toItemInput(GUIDE, null).reviewSteps).toBeNull();
    // what the server parses is what was sent: no element falls back to a default
    expect(ServiceItemInput.parse(input)).toEqual(input);
  });

  it('edits steps: default when none stored, joint only when switched on, moves', () => {
    expect(fromDrafts(toDrafts(null))).toEqual([{ name: '审查', role: 'reviewer', department: 'review' }]);
    const stored = [
      { name: '初审', role: 'reviewer' as const, department: 'review' },
      { name: '联合审查', role: 'reviewer' as const, department: 'review', joint: ['QC-FGJ', 'QC-ZRZY'] },
    ];
    const drafts = toDrafts(stored);
    expect(fromDrafts(drafts)).toEqual(stored);
    expect(sameSteps(fromDrafts(drafts), stored)).toBe(true);
    const off = drafts.map((d, i) => (i === 1 ? { ...d, jointOn: false } : d));
    expect(fromDrafts(off)[1]).toEqual({ name: '联合审查', role: 'reviewer', department: 'review' });
    expect(fromDrafts(moveItem(drafts, 1, 0)).map((s) => s.name)).toEqual(['联合审查', '初审']);
    expect(moveItem([1, 2, 3], 0, 5)).toEqual([1, 2, 3]);
    expect(sameSteps(null, null)).toBe(true);
    expect(sameSteps(null, stored)).toBe(false);
  });

  it('finds what the schema would refuse, and a department listed twice in a joint step', () => {
    const resolve = (d: string) => (d === 'review' ? 'QC-FGJ' : d === 'decision' ? 'QC-SPJ' : d);
    const [a] = toDrafts([{ name: '审查', role: 'reviewer', department: 'review' }]);
    expect(stepProblems([a!], resolve)).toEqual([]);
    expect(stepProblems([], resolve)).toEqual([{ index: -1, code: 'empty' }]);
    expect(stepProblems([{ ...a!, name: ' ', department: '' }], resolve).map((p) => p.code)).toEqual(['nameRequired', 'departmentRequired']);
    expect(stepProblems([{ ...a!, name: '审'.repeat(41) }], resolve).map((p) => p.code)).toEqual(['nameTooLong']);
    expect(stepProblems([{ ...a!, jointOn: true, joint: ['QC-FGJ'] }], resolve).map((p) => p.code)).toEqual(['jointTooFew']);
    expect(stepProblems([{ ...a!, jointOn: true, joint: ['review', 'QC-FGJ'] }], resolve)).toEqual([{ index: 0, code: 'jointDuplicate', department: 'QC-FGJ' }]);
    expect(stepProblems(Array.from({ length: 9 }, () => a!), resolve).map((p) => p.code)).toEqual(['tooMany']);
  });

  it('checks exemption rows: complete, of the item, once per material and category', () => {
    const saved = [{ materialId: 11, category: 'elderly' as const, basis: '《办法》第三条' }];
    const rows = toExemptionDrafts(saved);
    expect(exemptionProblems(rows, [11, 12])).toEqual([]);
    expect(sameExemptions(rows, saved)).toBe(true);
    expect(exemptionProblems([...rows, newExemptionDraft()], [11, 12]).map((p) => p.code)).toEqual(['materialRequired', 'categoryRequired', 'basisRequired']);
    expect(exemptionProblems([...rows, ...toExemptionDrafts(saved)], [11, 12]).map((p) => p.code)).toEqual(['duplicate']);
    expect(exemptionProblems(rows, [12]).map((p) => p.code)).toEqual(['materialUnknown']);
    expect(sameExemptions([], saved)).toBe(false);
  });
});
