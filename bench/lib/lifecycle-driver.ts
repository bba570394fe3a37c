/**
 * The lifecycle the benchmark drives through the HTTP API, one application at a time:
 * submit (citizen) → accept (clerk) → review (reviewer) → grant (signatory) → deliver (clerk),
 * with the demo accounts and bearer tokens (a bearer-authenticated write needs no Origin header;
 * only cookie-authenticated writes do, see src/app.ts).
 */
import type { HttpClient } from './common.js';
import { login } from './common.js';

/** 占用、挖掘城市道路审批: citizens may apply; reviewed by 住建局 (one step), decided by 审批局 — as bench/crash-test.ts. */
export const ITEM = 'QC-SPJ-004';

export type Role = 'citizen' | 'clerk' | 'reviewer' | 'signatory';
export const ROLES: Role[] = ['citizen', 'clerk', 'reviewer', 'signatory'];

export interface Step {
  action: 'submit' | 'accept' | 'review' | 'grant' | 'deliver';
  role: Role;
  /** the status the step leads to */
  to: string;
  body?: Record<string, unknown>;
}

export const STEPS: Step[] = [
  { action: 'submit', role: 'citizen', to: 'submitted' },
  { action: 'accept', role: 'clerk', to: 'accepted' },
  { action: 'review', role: 'reviewer', to: 'reviewed', body: { opinion: 'approve', comment: '材料齐全，符合法定条件' } },
  { action: 'grant', role: 'signatory', to: 'granted', body: { comment: '经审查，申请符合《城市道路管理条例》第三十条规定的条件，准予占用、挖掘城市道路。' } },
  { action: 'deliver', role: 'clerk', to: 'delivered', body: { delivery: { method: 'mail', trackingNumber: 'SF1234567890' } } },
];
export const ACTIONS = STEPS.map((s) => s.action);

export interface App {
  n: number;
  key: string;
  id?: string;
  /** the version after the last acknowledged step (0 before the submission) */
  version: number;
  /** steps done */
  done: number;
}

export type Outcome = { ok: true; status: number; ms: number } | { ok: false; status: number; ms: number; code: string };

export class Driver {
  constructor(
    readonly http: HttpClient,
    readonly tokens: Record<Role, string>,
  ) {}

  static async signIn(base: string): Promise<Record<Role, string>> {
    const tokens = {} as Record<Role, string>;
    for (const r of ROLES) tokens[r] = await login(base, r);
    return tokens;
  }

  /** Sends step `app.done` of `app`; on success advances `app`. */
  async next(app: App): Promise<Outcome> {
    const step = STEPS[app.done]!;
    const headers: Record<string, string> = { authorization: `Bearer ${this.tokens[step.role]}` };
    let url: string;
    let body: Record<string, unknown>;
    if (step.action === 'submit') {
      url = '/api/v1/applications';
      headers['idempotency-key'] = app.key;
      body = { itemCode: ITEM, form: { road: `演示路 ${app.n} 号`, days: 7 }, materials: [], deliveryMethod: 'mail' };
    } else {
      url = `/api/v1/applications/${app.id}/actions/${step.action}`;
      body = { ...(step.body ?? {}), version: app.version };
    }
    const t0 = performance.now();
    let res: { status: number; text: string };
    try {
      res = await this.http.request('POST', url, headers, body);
    } catch (e) {
      return { ok: false, status: 0, ms: performance.now() - t0, code: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
    }
    const ms = performance.now() - t0;
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    const expected = app.version + 1;
    if (res.status >= 200 && res.status < 300 && json.version === expected && json.status === step.to) {
      if (step.action === 'submit') app.id = String(json.id);
      app.version = expected;
      app.done++;
      return { ok: true, status: res.status, ms };
    }
    const code = (json.error as { code?: string } | undefined)?.code ?? (res.status < 300 ? `unexpected ${json.status}@${json.version}` : String(res.status));
    return { ok: false, status: res.status, ms, code };
  }
}
