/**
 * A catalogue item for tests: a 01 (行政许可) item of the approval bureau, statutory limit 20
 * working days, committed 5, online depth IV, for persons and organisations, one material.
 * `overrides` replaces any element (code and name at least).
 */
export function testItem<T extends { code: string; name: string }>(overrides: T) {
  return {
    type: '01' as const,
    departmentCode: 'QC-SPJ',
    statutoryLimitDays: 20,
    committedLimitDays: 5,
    projectType: 'commitment' as const,
    onlineDepth: 'IV' as const,
    requiredVisits: 0,
    serviceObjects: ['1', '2'],
    materials: [{ name: '申请表' }],
    ...overrides,
  };
}
