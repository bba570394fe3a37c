import { describe, expect, it } from 'vitest';
import { ACTIONS, FINAL_STATUSES, STATUSES, TRANSITIONS, findTransition, replay } from './transitions.js';

describe('the transition table', () => {
  it('walks the whole path submit → accept → review → grant → deliver', () => {
    expect(replay(['accept', 'review', 'grant', 'deliver'])).toBe('delivered');
  });

  it('takes a supplement round back to submitted', () => {
    expect(replay(['request_supplement', 'supplement', 'accept'])).toBe('accepted');
  });

  it('ends in exactly rejected, withdrawn and revoked (a delivered grant can still be revoked, art. 69)', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['rejected', 'revoked', 'withdrawn']);
  });

  it('lets a chief representative decide right after acceptance, and a commitment be decided on the spot', () => {
    expect(replay(['accept', 'grant', 'deliver'])).toBe('delivered');
    const t = TRANSITIONS.filter((x) => x.from === 'accepted' && x.action === 'grant');
    expect(t.map((x) => [x.actor, x.guard ?? null])).toEqual([
      ['chief_representative', null],
      ['signatory', 'commitment'],
    ]);
  });

  it('keeps clock actions in place: a special procedure or an extension does not move the case', () => {
    for (const a of ['pause_clock', 'resume_clock', 'extend', 'provide_material'] as const)
      for (const t of TRANSITIONS.filter((x) => x.action === a)) expect(t.to).toBe(t.from);
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

  it('gives each action to the actors the law names', () => {
    expect(Object.fromEntries(ACTIONS.map((a) => [a, [...new Set(TRANSITIONS.filter((t) => t.action === a).map((t) => t.actor))]]))).toEqual({
      accept: ['clerk'],
      reject: ['clerk'],
      request_supplement: ['clerk'],
      supplement: ['applicant'],
      review: ['reviewer'],
      opinion: ['joint_reviewer'],
      grant: ['signatory', 'chief_representative'],
      deny: ['signatory', 'chief_representative'],
      deliver: ['clerk'],
      receive: ['applicant'],
      withdraw: ['applicant'],
      deem_accepted: ['system'],
      provide_material: ['applicant'],
      lapse: ['system'],
      pause_clock: ['reviewer'],
      resume_clock: ['reviewer'],
      extend: ['signatory'],
      revoke: ['signatory'],
    });
  });

  it('is deterministic: one target per state and action, whoever acts', () => {
    for (const s of STATUSES) for (const a of ACTIONS) expect(new Set(TRANSITIONS.filter((t) => t.from === s && t.action === a).map((t) => t.to)).size).toBeLessThanOrEqual(1);
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

  it('requires reasons for non-acceptance, supplement, denial, special procedure, extension and revocation', () => {
    expect([...new Set(TRANSITIONS.filter((t) => t.commentRequired).map((t) => t.action))].sort()).toEqual(['deny', 'extend', 'pause_clock', 'reject', 'request_supplement', 'revoke']);
  });
});
