/**
 * The district-year simulation (`onewindow simulate`), small: 80 cases over January and
 * February 2026 (the Spring Festival included), through the services, on each backend. Checks
 * what can be checked by hand: as many applications as asked for, none refused, every event chain
 * intact, the channel mix, due dates on working days, the same numbers from the same seed (on
 * another backend and with concurrent workers too), and no second run of a year by accident.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type Backend } from '../../db/testing.js';
import type { Database } from '../../db/index.js';
import { isValidCitizenId, isValidUscc } from '../../platform/personal-data.js';
import { piiVaultFor, usePiiVault } from '../../platform/pii-vault.js';
import { seedReference } from '../../seed.js';
import { verifyEventChains } from '../applications/events.js';
import { auditTrail } from '../audit/service.js';
import { getCalendar } from '../calendar/service.js';
import { makeCitizenId, makeUscc, simApplicant, simulateYear, SimulationExistsError, simulationStream, type SimulationOptions, type SimulationReport } from './simulate.js';

const CASES = 80;
const masterKey = crypto.randomBytes(32);
const issue = { masterKey, publicUrl: 'http://localhost:3000' };
const options = (backend: Backend): SimulationOptions => ({ year: 2026, until: '2026-02-28', cases: CASES, seed: 42, concurrency: backend === 'postgres' ? 4 : 1, issue });
const reports = new Map<Backend, SimulationReport>();

type Rows<T> = { rows: T[] };

async function simulateOnNew(backend: Backend): Promise<{ database: Database; report: SimulationReport }> {
  const database = await openTestDatabase(backend);
  await seedReference(database.db);
  return { database, report: await simulateYear(database.db, options(backend)) };
}

describe('simulated identities', () => {
  it('makes ID numbers and credit codes with right check characters', () => {
    expect(makeCitizenId('441802', '19900307', 123)).toBe('441802199003071235'); // the demo citizen's
    expect(makeUscc('350100', 'M000100Y')).toBe('91350100M000100Y43'); // GB 32100's own example
    for (let k = 0; k < 2000; k++) {
      expect(isValidCitizenId(simApplicant('person', k).idNumber)).toBe(true);
      expect(isValidUscc(simApplicant('enterprise', k).idNumber)).toBe(true);
    }
    const ids = new Set(Array.from({ length: 5000 }, (_, k) => simApplicant('person', k).idNumber));
    expect(ids.size).toBe(5000);
  });
});

describe.each(testBackends())('simulate on %s', (backend) => {
  let database: Database;
  let report: SimulationReport;

  beforeAll(async () => {
    usePiiVault(piiVaultFor({ masterKey: () => masterKey }));
    ({ database, report } = await simulateOnNew(backend));
    reports.set(backend, report);
  }, 120_000);
  afterAll(async () => database?.close());

  it('submits as many applications as asked for, and the platform refuses none of the steps', async () => {
    expect(report.submitted).toBe(CASES);
    expect(report.errors).toEqual({});
    const { rows } = (await database.db.execute(sql`SELECT count(*)::int AS n FROM applications`)) as unknown as Rows<{ n: number }>;
    expect(rows[0]!.n).toBe(CASES);
    expect(Object.values(report.byStatus).reduce((a, b) => a + b, 0)).toBe(CASES);
  });

  it('leaves every case with an intact event chain, one event per transition', async () => {
    const chains = await verifyEventChains(database.db);
    expect(chains.broken).toEqual([]);
    expect(chains.applications).toBe(CASES);
    expect(chains.events).toBe(report.transitionsTotal);
    // and the status each case ended in is the one its last event reached
    const { rows } = (await database.db.execute(
      sql`SELECT count(*)::int AS n FROM applications a JOIN application_events e ON e.application_id = a.id AND e.seq = a.version WHERE e.to_status = a.status`,
    )) as unknown as Rows<{ n: number }>;
    expect(rows[0]!.n).toBe(CASES);
  });

  it('goes through every channel in about the planned shares; the window ones taken by clerks in the district and its towns', async () => {
    const share = (c: keyof SimulationReport['byChannel']) => report.byChannel[c] / CASES;
    // planned 45 / 35 / 12 / 8 %; bounds are about 3 standard deviations of a binomial share at 80 cases
    expect(share('window')).toBeGreaterThan(0.28);
    expect(share('window')).toBeLessThan(0.62);
    expect(share('online')).toBeGreaterThan(0.19);
    expect(share('online')).toBeLessThan(0.51);
    expect(share('mobile')).toBeGreaterThan(0.01);
    expect(share('mobile')).toBeLessThan(0.24);
    expect(share('kiosk')).toBeGreaterThan(0);
    expect(share('kiosk')).toBeLessThan(0.18);
    // the platform records each case's channel as it came in (the app and kiosks declare theirs)
    expect(report.byRecordedChannel).toEqual(report.byChannel);
    const { rows } = (await database.db.execute(
      sql`SELECT count(*) FILTER (WHERE taken_by_id IS NOT NULL)::int AS taken, count(DISTINCT region_code) FILTER (WHERE length(region_code) = 9)::int AS towns FROM applications WHERE channel = 'window'`,
    )) as unknown as Rows<{ taken: number; towns: number }>;
    expect(rows[0]!.taken).toBe(report.byChannel.window);
    expect(rows[0]!.towns).toBeGreaterThanOrEqual(3);
  });

  it('ends most cases delivered, some refused, supplemented, withdrawn, rated; decisions mostly on time', () => {
    expect(report.byStatus.delivered! / CASES).toBeGreaterThan(0.85);
    expect(report.transitions.accept! + report.sweeps.deemedAccepted).toBeGreaterThan(0.9 * CASES);
    expect(report.transitions.request_supplement).toBeGreaterThan(0);
    expect(report.evaluations.applicant / report.byStatus.delivered!).toBeGreaterThan(0.45);
    expect(report.evaluations.applicant / report.byStatus.delivered!).toBeLessThan(0.75);
    const rates = (report.headline as { rates: Record<string, { value: number }> }).rates;
    expect(rates.onTime!.value).toBeGreaterThan(0.95);
    expect(rates.onTime!.value).toBeLessThanOrEqual(1);
  });

  it('puts every due date on a working day of the official calendar', async () => {
    const calendar = await getCalendar(database.db);
    const { rows } = (await database.db.execute(sql`SELECT due_date::text AS d FROM applications WHERE due_date IS NOT NULL`)) as unknown as Rows<{ d: string }>;
    expect(rows.length).toBeGreaterThan(0.9 * CASES);
    expect(rows.filter((r) => !calendar.isWorkingDay(r.d))).toEqual([]);
    // and every submission on a working day, in office hours (Asia/Shanghai)
    const { rows: subs } = (await database.db.execute(
      sql`SELECT to_char(submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d, extract(hour FROM submitted_at AT TIME ZONE 'Asia/Shanghai')::int AS h FROM applications`,
    )) as unknown as Rows<{ d: string; h: number }>;
    expect(subs.filter((r) => !calendar.isWorkingDay(r.d) || r.h < 9 || r.h >= 18)).toEqual([]);
  });

  it('marks the year as simulated, and refuses a second run without --append', async () => {
    const trail = await auditTrail(database.db, simulationStream(2026));
    expect(trail.map((e) => e.kind)).toEqual(['simulation.started', 'simulation.completed']);
    await expect(simulateYear(database.db, { ...options(backend), cases: 5 })).rejects.toBeInstanceOf(SimulationExistsError);
  });
});

describe('the same seed', () => {
  it('gives the same numbers of everything', async () => {
    const [first, second] = [...reports.values()];
    let again = second;
    let database: Database | undefined;
    if (!again) ({ database, report: again } = await simulateOnNew('pglite'));
    try {
      const numbers = (r: SimulationReport) => ({ byStatus: r.byStatus, byChannel: r.byChannel, transitions: r.transitions, evaluations: r.evaluations, sweeps: r.sweeps });
      expect(numbers(again!)).toEqual(numbers(first!));
    } finally {
      await database?.close();
    }
  }, 120_000);
});
