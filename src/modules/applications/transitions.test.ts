import { describe, expect, it } from 'vitest';
import { ACTIONS, FINAL_STATUSES, STATUSES, TRANSITIONS, findTransition, replay } from './transitions.js';

describe('the transition table', () => {
  it('walks the whole path submit → accept → review → grant → deliver', () => {
    expect(replay(['accept', 'review', 'grant', 'deliver'])).toBe('delivered');
  });

  it('takes a supplement round back to submitted', () => {
    expect(replay(['request_supplement', 'supplement', 'accept'])).toBe('accepted');
  });

  it('ends in exactly rejected, delivered and withdrawn', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['delivered', 'rejected', 'withdrawn']);
  });

  it('lets a denial be delivered too (art. 38 written decision, art. 44 delivery)', () => {
    expect(replay(['accept', 'review', 'deny', 'deliver'])).toBe('delivered');
  });

  it('refuses impossible steps', () => {
    expect(() => replay(['grant'])).toThrow();
    expect(() => replay(['accept', 'accept'])).toThrow();
    expect(() => replay(['accept', 'review', 'grant', 'withdraw'])).toThrow();
    expect(findTransition('delivered', 'withdraw')).toBeUndefined();
  });

  it('gives each action to exactly one kind of actor', () => {
    expect(Object.fromEntries(ACTIONS.map((a) => [a, [...new Set(TRANSITIONS.filter((t) => t.action === a).map((t) => t.actor))]]))).toEqual({
      accept: ['clerk'],
      reject: ['clerk'],
      request_supplement: ['clerk'],
      supplement: ['applicant'],
      review: ['reviewer'],
      grant: ['signatory'],
      deny: ['signatory'],
      deliver: ['clerk'],
      withdraw: ['applicant'],
      deem_accepted: ['system'],
      provide_material: ['applicant'],
      lapse: ['system'],
    });
  });

  it('is deterministic: one target per state and action', () => {
    for (const s of STATUSES) for (const a of ACTIONS) expect(TRANSITIONS.filter((t) => t.from === s && t.action === a).length).toBeLessThanOrEqual(1);
  });

  it('reaches every status from submitted', () => {
    const seen = new Set<string>(['submitted']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of TRANSITIONS) if (seen.has(t.from) && !seen.has(t.to)) (seen.add(t.to), (grew = true));
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });

  it('requires reasons for reject, request_supplement and deny only', () => {
    expect(TRANSITIONS.filter((t) => t.commentRequired).map((t) => t.action).sort()).toEqual(['deny', 'reject', 'request_supplement']);
  });
});
