/**
 * `onewindow simulate`: a district-year of applications (办件) generated through the platform's own
 * services — accounts by `createUser`, cases by `submitApplication`, every later step by
 * `performAction` and `evaluateApplication`, and the deadline sweeps run as simulated time
 * passes — so every rule applies to simulated data as to real data: the statutory clock on the
 * official holiday calendar, the transition table and its guards, sealed notices and decisions,
 * the hash-chained event log and the audit trail. Nothing here writes a table directly; the only
 * SQL of its own is a periodic `VACUUM (ANALYZE)` (see {@link SimulationOptions.vacuumEvery}).
 *
 * The simulation is planned first, in memory and deterministically from `seed` (a small
 * mulberry32 PRNG: the same seed on the same empty database gives the same numbers of
 * everything), then executed in time order, day by day: at 07:00 of every calendar day the
 * sweeps run (deemed acceptance under art. 32, lapses of 容缺 materials, default ratings), then
 * every planned step of that day in the order of its time. Steps are executed in batches, one
 * transaction per batch (services nest their own transaction as a savepoint); on PostgreSQL
 * several workers run at once, each with the cases of its own applicants, so no two
 * transactions touch the same application or the same applicant's audit chain.
 *
 * What is simulated (shares are of all cases unless said otherwise):
 * - channels: window ≈45 % (taken by a clerk for the applicant present, at the district hall or
 *   a town centre), online ≈35 %, mobile ≈12 %, kiosk ≈8 % (submitted by the applicant);
 * - items: those of the catalogue with a committed limit and for persons or legal persons,
 *   Zipf-distributed over a seeded order of popularity, required materials filled in; commitment
 *   items (告知承诺制) signed on ≈40 % of their cases and decided on the spot;
 * - fates: non-acceptance ≈2.2 %, one-time supplement request ≈6 % (then supplied, or ≈10 % of
 *   them withdrawn), withdrawal ≈1 % (before or after acceptance), deemed acceptance by lapse
 *   ≈0.3 %; the rest accepted, reviewed per the item's review steps (joint reviews included),
 *   then granted (≈97 % of decisions) or denied, ≈1.5 % of decisions deliberately after the due
 *   date, delivered (window pickup with the applicant's code, mail, or received online), and
 *   ≈60 % of deliveries rated by the applicant (5 ≈80 %, 4 ≈15 %, 3 ≈3 %, 1–2 ≈2 %);
 * - time: submissions spread evenly over the year's working days in office hours (Asia/Shanghai),
 *   each later step some working days later on the platform calendar; ≈0.3 % of cases are left
 *   open at the end of the year (the simulation stops at 31 December, 24:00).
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { isIsoDate, shanghaiDate, shiftDate, type LimitUnit, type WorkingCalendar } from '../../platform/calendar.js';
import { DEFAULT_OFFICE_HOURS, supplementNoticeDeadline } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/gm-crypto.js';
import { isValidCitizenId, isValidUscc } from '../../platform/personal-data.js';
import { getVisibleApplication, performAction, submitApplication, sweepConditionalLapses, sweepSupplementNoticeLapses, type ActionInput, type NewApplication } from '../applications/service.js';
import { resolveSteps } from '../applications/review-steps.js';
import { STATUSES, type Action, type Status } from '../applications/transitions.js';
import { appendAudit, auditTrail, PLATFORM_ACTOR } from '../audit/service.js';
import { getCalendar } from '../calendar/service.js';
import { getItem, searchItems } from '../catalog/service.js';
import type { IssueContext } from '../documents/service.js';
import { evaluateApplication, sweepDefaultEvaluations } from '../evaluations/service.js';
import { createUser, type Principal, type Role } from '../identity/service.js';
import { listLicenseTypes } from '../licenses/service.js';
import { getRegion, listDepartments } from '../org/service.js';
import { getActiveSeal } from '../seals/service.js';
import { refreshStats, summarize } from '../stats/service.js';

// ---------------------------------------------------------------------------------------------
// Parameters

export const CHANNELS = ['window', 'online', 'mobile', 'kiosk'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The target share of each channel. */
export const CHANNEL_SHARES: Record<Channel, number> = { window: 0.45, online: 0.35, mobile: 0.12, kiosk: 0.08 };

/** The probabilities of the simulated world (see the file's comment). */
export const SHARES = {
  rejected: 0.022,
  withdrawnBeforeAcceptance: 0.005,
  withdrawnAfterAcceptance: 0.005,
  supplement: 0.06,
  /** of supplement requests: the applicant withdraws instead of supplying */
  supplementWithdrawn: 0.1,
  /** of otherwise accepted cases (items with a limit of 15 days or more): no clerk acts, the sweep deems them accepted */
  deemed: 0.003,
  /** of decisions */
  granted: 0.97,
  /** of decisions: decided after the due date */
  late: 0.015,
  /** of deliveries: rated by the applicant */
  rated: 0.6,
  /** of cases: submitted in the last weeks and still open at the end of the year */
  openAtYearEnd: 0.003,
  /** of cases of commitment-eligible items (告知承诺制): the applicant signs */
  commitment: 0.4,
  /** of window cases: taken at the district hall (the rest at the applicant's town centre) */
  districtHall: 0.55,
  /** of applicants: enterprises */
  enterprises: 0.2,
} as const;

/** Ratings of the applicants who rate: 5 ≈80 %, 4 ≈15 %, 3 ≈3 %, 2 and 1 ≈1 % each. */
const RATING_CDF: [number, number][] = [
  [0.8, 5],
  [0.95, 4],
  [0.98, 3],
  [0.99, 2],
  [1, 1],
];

/** Zipf exponent of item popularity. */
const ZIPF_S = 1.0;

/** The district every simulated account and service point belongs to. */
const DISTRICT = '441802';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny, well-known 32-bit PRNG; `next()` is uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit integer hash (splitmix32 finaliser) of `x`, for values that depend on an index only. */
function hash32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

type Rng = () => number;
const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Samples an index from a cumulative distribution (ascending, last = 1). */
function sampleCdf(r: Rng, cdf: Float64Array): number {
  const u = r() * cdf[cdf.length - 1]!;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Simulated people and enterprises (fictional; numbers with valid check characters)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A citizen ID number (GB 11643): address code, birth date `YYYYMMDD`, 3-digit sequence, MOD 11-2 check character. */
export function makeCitizenId(address: string, birth: string, sequence: number): string {
  const body = `${address}${birth}${String(sequence).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i]!;
  return body + ID_CHECK[sum % 11];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * A unified social credit code (GB 32100): registration authority 9 (market regulation), type 1
 * (enterprise), the division code, the 9-character organisation code (8 characters with its
 * GB 11714 check character) and the GB 32100 check character.
 */
export function makeUscc(division: string, orgBody: string): string {
  let s = 0;
  for (let i = 0; i < 8; i++) {
    const c = orgBody[i]!;
    s += (c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55) * ORG_WEIGHTS[i]!;
  }
  const c9 = 11 - (s % 11);
  const body = `91${division}${orgBody}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body[i]!) * USCC_WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return body + USCC_CHARS[c === 31 ? 0 : c];
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶程苏魏吕丁沈钟姜崔谭陆范廖石邹熊邱江赖温黎古冼麦'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚文华建国志红玲俊宇浩婷欣怡晨思雨嘉梓佳锦荣辉燕萍斌鹏飞慧颖琳德成坤乐彬源'];
const FIRM_A = [...'华恒宏金粤北凤飞正嘉信万广永泰瑞新力盈安鸿顺兴晟鼎汇德益盛佳和'];
const FIRM_B = [...'盛通达穗清江城霞德禾信达和兴丰创源科泰业隆昌茂发裕祥美辉利宝'];
const TRADES = ['建筑工程', '餐饮管理', '商贸', '物流', '电子科技', '农业发展', '食品', '建材', '医药', '教育咨询', '网络科技', '环保科技', '机械设备', '房地产开发', '装饰工程', '旅游发展'];
/** Address codes of ID numbers: mostly Qingcheng, some Qingyuan's other counties (data/divisions). */
const ADDRESS_CODES = ['441802', '441802', '441802', '441802', '441802', '441802', '441802', '441803', '441821', '441881', '441882', '441823'];
const DIVISIONS = ['441802', '441802', '441802', '441803'];

export interface SimApplicant {
  index: number;
  kind: 'person' | 'enterprise';
  username: string;
  name: string;
  idNumber: string;
  phone: string;
  /** index into the town clerks: the town centre the applicant goes to */
  home: number;
}

/**
 * Applicant `k` (0-based) of a kind: the same person or enterprise for every seed and run, so
 * accounts are reused by an appended run and a window clerk's name check always holds.
 */
export function simApplicant(kind: 'person' | 'enterprise', k: number): Omit<SimApplicant, 'index' | 'home'> {
  const h = hash32(k * 2 + (kind === 'person' ? 0 : 1));
  const phone = `1${'35789'[h % 5]}${String(hash32(h) % 1_000_000_000).padStart(9, '0')}`;
  if (kind === 'person') {
    // distinct (birth date, sequence) for every k < 18,262 × 400
    const day = (k * 7919 + 101) % 18262;
    const birth = new Date(Date.UTC(1956, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const sequence = 500 + (Math.floor(k / 18262) % 400);
    const idNumber = makeCitizenId(ADDRESS_CODES[h % ADDRESS_CODES.length]!, birth, sequence);
    const given = GIVEN[(h >>> 8) % GIVEN.length]! + ((h >>> 16) % 3 ? GIVEN[(h >>> 20) % GIVEN.length]! : '');
    return { kind, username: `sim-p-${String(k + 1).padStart(6, '0')}`, name: SURNAMES[(h >>> 4) % SURNAMES.length]! + given, idNumber, phone };
  }
  // organisation code: "MA" + k in base 31 (unique), its order scrambled by a multiplier prime to 31^6
  let n = (k * 104_729 + 7) % 887_503_681;
  let tail = '';
  for (let i = 0; i < 6; i++) {
    tail = USCC_CHARS[n % 31]! + tail;
    n = Math.floor(n / 31);
  }
  const idNumber = makeUscc(DIVISIONS[h % DIVISIONS.length]!, `MA${tail}`);
  const combo = (k * 7_411 + 3) % (FIRM_A.length * FIRM_B.length * TRADES.length);
  const firm = FIRM_A[combo % FIRM_A.length]! + FIRM_B[Math.floor(combo / FIRM_A.length) % FIRM_B.length]!;
  const trade = TRADES[Math.floor(combo / (FIRM_A.length * FIRM_B.length))]!;
  const round = Math.floor(k / (FIRM_A.length * FIRM_B.length * TRADES.length));
  return { kind, username: `sim-e-${String(k + 1).padStart(6, '0')}`, name: `清远市${firm}${trade}${round ? `第${round + 1}` : ''}有限公司`, idNumber, phone };
}

function staffName(h: number): string {
  return SURNAMES[h % SURNAMES.length]! + GIVEN[(h >>> 8) % GIVEN.length]!;
}

// ---------------------------------------------------------------------------------------------
// The world the plan draws from

interface SimItem {
  code: string;
  name: string;
  departmentCode: string;
  decisionDepartmentCode: string;
  limitDays: number;
  limitUnit: LimitUnit;
  forPersons: boolean;
  forEnterprises: boolean;
  channels: Set<string>;
  /** the required materials (ids of the item's list) */
  materials: { id: number; name: string }[];
  /** review steps resolved to departments (the default one review when the item sets none) */
  steps: { department: string; joint?: string[] }[];
  /** SM3 of the commitment text, when the item is eligible for 告知承诺制 */
  commitmentSm3: string | null;
}

interface StaffAccount {
  principal: Principal;
  /** clerks: the district hall or a town centre */
  regionCode: string;
}

interface World {
  year: number;
  calendar: WorkingCalendar;
  items: SimItem[];
  staff: StaffAccount[];
  /** staff index by `role:department` */
  staffOf: Map<string, number>;
  districtClerks: number[];
  townClerks: number[];
  applicants: (SimApplicant & { principal: Principal })[];
  persons: number[];
  enterprises: number[];
  /** the year's working days and those of the first half of the next (steps may spill over) */
  workingDays: string[];
  /** index in `workingDays` of the last working day simulated */
  lastWorkingDay: number;
  /** the end of the simulated time (ms): 24:00 of the last day simulated */
  endMs: number;
}

// ---------------------------------------------------------------------------------------------
// The plan

/** What a planned step does. `who` is a staff index, or {@link APPLICANT}. */
type StepAction = 'submit' | 'accept' | 'reject' | 'request_supplement' | 'supplement' | 'withdraw' | 'review' | 'opinion' | 'grant' | 'deny' | 'deliver' | 'receive' | 'rate';
const APPLICANT = -1;

interface PlannedStep {
  /** the simulated instant (ms) */
  t: number;
  a: StepAction;
  who: number;
  /** rate: the rating; review: 1 for a negative opinion */
  x: number;
  /** the first step after a deemed acceptance: the sweep moved the version on, read it first */
  reload?: true;
}

type Fate = 'normal' | 'rejected' | 'withdrawn_early' | 'withdrawn_late' | 'supplement' | 'supplement_withdrawn';

interface CasePlan {
  index: number;
  item: SimItem;
  applicant: number;
  channel: Channel;
  /** the clerk taking a window case, and doing the case's front-desk work (acceptance, delivery) */
  clerk: number;
  deliveryMethod: 'window' | 'mail' | 'online';
  commitment: boolean;
  fate: Fate;
  deemed: boolean;
  late: boolean;
  granted: boolean;
  steps: PlannedStep[];
}

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
const SHANGHAI = 8 * 60 * MINUTE;

/** The instant of `minute` (after midnight, Asia/Shanghai) on `date`. */
function instant(date: string, minute: number): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI + minute * MINUTE;
}

const OFFICE_MINUTES = DEFAULT_OFFICE_HOURS.reduce((n, [a, b]) => n + (b - a), 0);

/** A random minute of office hours (09:00–12:00, 14:00–18:00), leaving an hour at the end for same-day steps. */
function officeMinute(r: Rng): number {
  let m = int(r, OFFICE_MINUTES - 60);
  for (const [a, b] of DEFAULT_OFFICE_HOURS) {
    if (m < b - a) return a + m;
    m -= b - a;
  }
  return DEFAULT_OFFICE_HOURS[0]![0];
}

/** Cumulative Zipf weights over `n` ranks. */
function zipfCdf(n: number): Float64Array {
  const cdf = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) cdf[i] = s += 1 / Math.pow(i + 1, ZIPF_S);
  return cdf;
}

function lowerBound(xs: string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Plans every case: who applies for what, through which channel, what becomes of it, and when
 * each step happens. Pure and deterministic in `seed`.
 */
export function planCases(w: World, cases: number, seed: number): CasePlan[] {
  const r = mulberry32(seed);
  // item popularity: a seeded order, Zipf over it; per channel, the items that channel offers
  const order = w.items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = int(r, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const byChannel = new Map<Channel, { items: number[]; cdf: Float64Array }>();
  for (const ch of CHANNELS) {
    const items = order.filter((i) => w.items[i]!.channels.has(ch));
    byChannel.set(ch, { items: items.length ? items : order, cdf: zipfCdf(items.length || order.length) });
  }
  const channelCdf = new Float64Array(CHANNELS.length);
  CHANNELS.reduce((s, ch, i) => (channelCdf[i] = s + CHANNEL_SHARES[ch]), 0);
  const plans: CasePlan[] = [];
  for (let i = 0; i < cases; i++) {
    const channel = CHANNELS[sampleCdf(r, channelCdf)]!;
    const pool = byChannel.get(channel)!;
    const item = w.items[pool.items[sampleCdf(r, pool.cdf)]!]!;
    const kind = item.forPersons && item.forEnterprises ? (r() < 0.6 ? 'person' : 'enterprise') : item.forPersons ? 'person' : 'enterprise';
    const list = kind === 'person' ? w.persons : w.enterprises;
    const applicant = list.length ? pick(r, list) : pick(r, kind === 'person' ? w.enterprises : w.persons);
    const home = w.applicants[applicant]!.home;
    const clerk =
      channel === 'window' && w.townClerks.length && r() >= SHARES.districtHall ? w.townClerks[home % w.townClerks.length]! : pick(r, w.districtClerks);
    const u = r();
    const deliveryMethod: CasePlan['deliveryMethod'] = channel === 'window' ? (u < 0.7 ? 'window' : u < 0.9 ? 'mail' : 'online') : u < 0.3 ? 'window' : u < 0.55 ? 'mail' : 'online';
    const commitment = item.commitmentSm3 !== null && r() < SHARES.commitment;
    const f = r();
    let fate: Fate = 'normal';
    let acc = SHARES.rejected;
    if (f < acc) fate = 'rejected';
    else if (f < (acc += SHARES.withdrawnBeforeAcceptance)) fate = 'withdrawn_early';
    else if (f < (acc += SHARES.withdrawnAfterAcceptance)) fate = 'withdrawn_late';
    else if (f < (acc += SHARES.supplement)) fate = r() < SHARES.supplementWithdrawn ? 'supplement_withdrawn' : 'supplement';
    const longLimit = item.limitDays >= 15 && !commitment;
    const deemed = (fate === 'normal' || fate === 'supplement') && longLimit && r() < SHARES.deemed;
    const late = r() < SHARES.late;
    const granted = commitment || r() < SHARES.granted;
    const open = r() < SHARES.openAtYearEnd;
    const plan: CasePlan = { index: i, item, applicant, channel, clerk, deliveryMethod, commitment, fate, deemed, late, granted, steps: [] };
    // the submission day: any working day of the year where the case ends within the year, or
    // (an open case) one of the last weeks' where it does not
    let s = open ? Math.max(0, w.lastWorkingDay - 15 + int(r, 16)) : int(r, w.lastWorkingDay + 1);
    for (let attempt = 0; ; attempt++) {
      const lr = mulberry32(hash32(seed ^ hash32(i * 64 + attempt)));
      plan.steps = planLifecycle(w, plan, s, lr);
      const last = plan.steps.filter((x) => x.a !== 'rate').at(-1)!.t;
      if (open ? last >= w.endMs || s >= w.lastWorkingDay : last < w.endMs) break;
      if (attempt > 45) break;
      s = open ? s + 1 : attempt > 40 ? 0 : int(r, s);
    }
    plans.push(plan);
  }
  return plans;
}

/** The steps of one case submitted on working day `s`. */
function planLifecycle(w: World, c: CasePlan, s: number, r: Rng): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const days = w.workingDays;
  let k = s;
  let t = instant(days[k]!, officeMinute(r));
  /** `d` working days later (0: later the same day) */
  const later = (d: number) => {
    if (d === 0) {
      t += (3 + int(r, 23)) * MINUTE;
    } else {
      k = Math.min(k + d, days.length - 1);
      t = Math.max(t + MINUTE, instant(days[k]!, officeMinute(r)));
    }
  };
  let reload = false;
  const push = (a: StepAction, who: number, x = 0) => {
    steps.push(reload ? { t, a, who, x, reload } : { t, a, who, x });
    reload = false;
  };
  push('submit', c.channel === 'window' ? c.clerk : APPLICANT);
  if (c.fate === 'rejected') {
    later(r() < 0.6 ? 0 : 1);
    push('reject', c.clerk);
    return steps;
  }
  if (c.fate === 'withdrawn_early') {
    later(int(r, 3));
    push('withdraw', APPLICANT);
    return steps;
  }
  if (c.fate === 'supplement' || c.fate === 'supplement_withdrawn') {
    later(r() < 0.6 ? 0 : 1);
    push('request_supplement', c.clerk);
    later(1 + int(r, 5));
    if (c.fate === 'supplement_withdrawn') {
      push('withdraw', APPLICANT);
      return steps;
    }
    push('supplement', APPLICANT);
  }
  // acceptance, or deemed acceptance by the sweep (the clock then runs from receipt)
  let accepted = k;
  if (c.deemed) {
    const deadline = supplementNoticeDeadline(w.calendar, days[k]!).date;
    // the sweep runs at 07:00 of the day after the deadline; the back office goes on a working day later
    k = Math.min(lowerBound(days, shiftDate(deadline, 1)) + 1, days.length - 1);
    t = instant(days[k]!, officeMinute(r));
    reload = true;
  } else {
    later(c.channel === 'window' ? (r() < 0.85 ? 0 : 1) : r() < 0.5 ? 0 : 1);
    push('accept', c.clerk);
    accepted = k;
  }
  if (c.fate === 'withdrawn_late') {
    later(1 + int(r, 3));
    push('withdraw', APPLICANT);
    return steps;
  }
  // the decision day: on or before the due date, or deliberately after it
  const acceptedOn = days[accepted]!;
  const limit = c.commitment ? { days: 0, unit: 'same_day' as LimitUnit } : { days: c.item.limitDays, unit: c.item.limitUnit };
  const due = w.calendar.addLimit(acceptedOn, limit.days, limit.unit).date;
  const K = w.calendar.workingDaysBetween(acceptedOn, due);
  const u = r();
  const offset = c.late ? K + 1 + int(r, 4) : Math.min(K, Math.floor((K + 1) * (0.1 + 0.75 * u * u)));
  const decision = Math.min(Math.max(accepted + offset, k), days.length - 1);
  // review steps spread between now and the decision (none for a commitment, decided on the spot)
  if (!c.commitment) {
    const n = c.item.steps.length;
    const start = k;
    c.item.steps.forEach((step, j) => {
      const at = start + Math.floor(((decision - start) * (j + 1)) / (n + 1));
      later(at - k);
      const negative = !c.granted && j === n - 1 && !step.joint ? 1 : 0;
      if (step.joint) {
        step.joint.forEach((d, n) => {
          if (n) later(0);
          push('opinion', w.staffOf.get(`reviewer:${d}`)!);
        });
      } else {
        push('review', w.staffOf.get(`reviewer:${step.department}`)!, negative);
      }
    });
  }
  later(decision - k);
  push(c.granted ? 'grant' : 'deny', w.staffOf.get(`signatory:${c.item.decisionDepartmentCode}`)!);
  // delivery (art. 44: within 10 working days; here within 3), then perhaps a rating
  if (c.deliveryMethod === 'online') {
    later(r() < 0.6 ? 0 : 1);
    push('receive', APPLICANT);
  } else {
    later(c.deliveryMethod === 'mail' ? (r() < 0.5 ? 0 : 1) : int(r, 4));
    push('deliver', c.clerk);
  }
  if (r() < SHARES.rated) {
    // within a few days, any day of the week: before the default rating after 7 days
    t += r() < 0.4 ? (3 + int(r, 120)) * MINUTE : (1 + int(r, 4)) * DAY_MS + int(r, 180) * MINUTE;
    const v = r();
    push('rate', APPLICANT, RATING_CDF.find(([p]) => v < p)![1]);
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Setting the world up (through the services)

export interface SimulationOptions {
  year: number;
  cases: number;
  seed: number;
  /** PostgreSQL: workers running at once (each its own connection); PGlite: 1 */
  concurrency?: number;
  /** steps per transaction (default 500); 1: every service call in its own transaction */
  batchSize?: number;
  /** run although the year already has simulated data (a further run: new cases, same accounts) */
  append?: boolean;
  /** the last day simulated, `YYYY-MM-DD` in the year (default 31 December): cases are spread up to it and time stops at its end */
  until?: string;
  /**
   * `VACUUM (ANALYZE)` the database at the start of a simulated day once this many steps were
   * taken since the last time (default 50,000; 0: never). A year's worth of row versions written in
   * minutes outruns autovacuum — and PGlite has none — and the daily sweeps, which look for
   * cases by status, then wade through dead index entries.
   */
  vacuumEvery?: number;
  /** applicant accounts (default: cases ÷ 50, between 20 and 3,000) */
  applicants?: number;
  issue: IssueContext;
  onProgress?: (p: SimulationProgress) => void;
  log?: (line: string) => void;
}

export interface SimulationProgress {
  phase: 'setup' | 'run' | 'stats';
  done: number;
  total: number;
  day: string;
  cases: number;
  transitions: number;
}

/** Thrown when the year already has simulated data and `append` was not asked for. */
export class SimulationExistsError extends Error {
  constructor(readonly year: number, readonly runs: number) {
    super(`${year} 年已有模拟数据（${runs} 次运行），如需追加请加 --append (the database already has simulated data for ${year} from ${runs} run(s); use --append to add another)`);
    this.name = 'SimulationExistsError';
  }
}

/** The audit stream that marks a year's simulated data (one event per run started and completed). */
export const simulationStream = (year: number) => `simulation:${year}`;

/** The catalogue items a simulated applicant can apply for: committed limit known, for persons or legal persons. */
async function loadItems(db: Db): Promise<SimItem[]> {
  const codes: string[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await searchItems(db, { page, pageSize: 100 });
    for (const it of items) if (it.committedLimitDays !== null && !it.limitUnknown && (it.serviceObjects.includes('1') || it.serviceObjects.includes('2'))) codes.push(it.code);
    if (page * 100 >= total) break;
  }
  codes.sort();
  const out: SimItem[] = [];
  for (const code of codes) {
    const it = await getItem(db, code);
    const text = it.notificationCommitment?.eligible ? it.notificationCommitment.text : null;
    out.push({
      code: it.code,
      name: it.name,
      departmentCode: it.departmentCode,
      decisionDepartmentCode: it.decisionDepartmentCode,
      limitDays: it.committedLimitDays!,
      limitUnit: it.committedLimitUnit as LimitUnit,
      forPersons: it.serviceObjects.includes('1'),
      forEnterprises: it.serviceObjects.includes('2'),
      channels: new Set(it.channels),
      materials: it.materials.filter((m) => m.required).map((m) => ({ id: m.id, name: m.name })),
      steps: resolveSteps(it.reviewSteps, { reviewDepartmentCode: it.reviewDepartmentCode, decisionDepartmentCode: it.decisionDepartmentCode }).map((s) => ({ department: s.department, ...(s.joint ? { joint: s.joint } : {}) })),
      commitmentSm3: text ? sm3Hex(text) : null,
    });
  }
  return out;
}

async function inChunks<T, R>(xs: T[], size: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < xs.length; i += size) out.push(...(await Promise.all(xs.slice(i, i + size).map(f))));
  return out;
}

const randomPassword = () => crypto.randomBytes(18).toString('base64url');

async function buildWorld(db: Db, o: SimulationOptions, until: string, start: Date, log: (s: string) => void): Promise<World> {
  const calendar = await getCalendar(db);
  const items = await loadItems(db);
  if (!items.length) throw new Error('目录中没有可模拟的事项 (the catalogue has no item to simulate: seed the reference data first)');
  const towns = (await getRegion(db, DISTRICT)).children.filter((c) => c.level === 'town').map((c) => c.code);
  const departments = await listDepartments(db);
  const deptByCode = new Map(departments.map((d) => [d.code, d]));
  const used = new Set<string>();
  for (const it of items) for (const d of [it.departmentCode, it.decisionDepartmentCode, ...it.steps.flatMap((s) => [s.department, ...(s.joint ?? [])])]) used.add(d);
  // staff: a clerk, a reviewer and a signatory of every department the items involve; the clerks
  // alternate between the district hall and the town centres (by the department's place in the
  // full list, so a later run finds the same accounts)
  const staff: StaffAccount[] = [];
  const staffOf = new Map<string, number>();
  const districtClerks: number[] = [];
  const townClerks: number[] = [];
  const specs: { role: Role; dept: string; regionCode: string; username: string; displayName: string }[] = [];
  departments.forEach((d, i) => {
    if (!used.has(d.code)) return;
    const slug = d.code.toLowerCase();
    const town = i % 2 === 1 && towns.length ? towns[(i >> 1) % towns.length]! : null;
    const region = town ?? DISTRICT;
    const h = hash32(i * 7 + 1);
    specs.push({ role: 'clerk', dept: d.code, regionCode: region, username: `sim-clerk-${slug}-${region}`, displayName: `综合窗口（${d.shortName}）${staffName(h)}` });
    specs.push({ role: 'reviewer', dept: d.code, regionCode: d.regionCode, username: `sim-reviewer-${slug}`, displayName: `${d.shortName}审查员 ${staffName(h >>> 3)}` });
    specs.push({ role: 'signatory', dept: d.code, regionCode: d.regionCode, username: `sim-signatory-${slug}`, displayName: `${d.shortName}签批人 ${staffName(h >>> 5)}` });
  });
  const ids = await inChunks(specs, 8, (s) =>
    createUser(db, { username: s.username, password: randomPassword(), displayName: s.displayName, kind: 'staff', roles: [s.role], departmentCode: s.dept, regionCode: s.role === 'clerk' ? s.regionCode : null }),
  );
  specs.forEach((s, i) => {
    const regionCode = s.role === 'clerk' ? s.regionCode : (deptByCode.get(s.dept)?.regionCode ?? DISTRICT);
    staffOf.set(`${s.role}:${s.dept}`, staff.length);
    if (s.role === 'clerk') (s.regionCode === DISTRICT ? districtClerks : townClerks).push(staff.length);
    staff.push({ regionCode, principal: { id: ids[i]!, username: s.username, displayName: s.displayName, kind: 'staff', roles: [s.role], departmentCode: s.dept, regionCode } });
  });
  if (!districtClerks.length) throw new Error('no district-hall clerk could be placed');
  log(`staff: ${staff.length} accounts (${districtClerks.length} district-hall clerks, ${townClerks.length} town-centre clerks)`);
  // seals of every department that issues, made as of the start of the year (documents dated
  // before a seal's making would not verify)
  const sealDepartments = new Set([...used, ...(await listLicenseTypes(db)).map((t) => t.issuerDepartmentCode).filter((d): d is string => !!d)]);
  const lateSeals: string[] = [];
  for (const d of [...sealDepartments].sort()) {
    if (!deptByCode.has(d)) continue;
    const seal = await getActiveSeal(db, d, o.issue.masterKey, start);
    if (seal.validFrom > start) lateSeals.push(`${d} (${shanghaiDate(seal.validFrom)})`);
  }
  if (lateSeals.length) log(`warning: seals made after ${shanghaiDate(start)}: ${lateSeals.join(', ')} — documents they seal with earlier simulated dates will not verify (a seal is valid from its making)`);
  // applicants: accounts through createUser (argon2id: the slow part of the setup)
  const total = o.applicants ?? Math.min(3000, Math.max(20, Math.round(o.cases / 50)));
  const nEnterprises = Math.max(3, Math.round(total * SHARES.enterprises));
  const specsA: Omit<SimApplicant, 'index'>[] = [];
  for (let k = 0; k < total - nEnterprises; k++) specsA.push({ ...simApplicant('person', k), home: hash32(k * 3 + 11) });
  for (let k = 0; k < nEnterprises; k++) specsA.push({ ...simApplicant('enterprise', k), home: hash32(k * 3 + 12) });
  for (const a of specsA) if (!(a.kind === 'person' ? isValidCitizenId(a.idNumber) : isValidUscc(a.idNumber))) throw new Error(`generated an invalid number for ${a.username}`);
  let made = 0;
  const applicantIds = await inChunks(specsA, 8, async (a) => {
    const id = await createUser(db, { username: a.username, password: randomPassword(), displayName: a.name, kind: a.kind, roles: [a.kind === 'person' ? 'citizen' : 'enterprise'], idNumber: a.idNumber, phone: a.phone });
    o.onProgress?.({ phase: 'setup', done: ++made, total: specsA.length, day: '', cases: 0, transitions: 0 });
    return id;
  });
  const applicants = specsA.map((a, index) => ({
    ...a,
    index,
    principal: { id: applicantIds[index]!, username: a.username, displayName: a.name, kind: a.kind, roles: [a.kind === 'person' ? 'citizen' : 'enterprise'] as Role[], departmentCode: null, regionCode: null },
  }));
  log(`applicants: ${applicants.length} accounts (${total - nEnterprises} persons, ${nEnterprises} enterprises)`);
  // working days of the year and of the first half of the next (steps of open cases spill over)
  const workingDays: string[] = [];
  for (let d = `${o.year}-01-01`; d <= `${o.year + 1}-06-30`; d = shiftDate(d, 1)) if (calendar.isWorkingDay(d)) workingDays.push(d);
  return {
    year: o.year,
    calendar,
    items,
    staff,
    staffOf,
    districtClerks,
    townClerks,
    applicants,
    persons: applicants.filter((a) => a.kind === 'person').map((a) => a.index),
    enterprises: applicants.filter((a) => a.kind === 'enterprise').map((a) => a.index),
    workingDays,
    lastWorkingDay: lowerBound(workingDays, shiftDate(until, 1)) - 1,
    endMs: instant(until, 24 * 60),
  };
}

// ---------------------------------------------------------------------------------------------
// Execution

/** What a simulation did. */
export interface SimulationReport {
  year: number;
  seed: number;
  run: number;
  cases: number;
  /** cases submitted (= cases, unless a submission failed) */
  submitted: number;
  /** applications of this run by status at the end of the simulated time */
  byStatus: Record<string, number>;
  /** the channel each case was planned through */
  byChannel: Record<Channel, number>;
  /** by channel, then status */
  byChannelStatus: Record<Channel, Record<string, number>>;
  /** the channel the platform recorded */
  byRecordedChannel: Record<string, number>;
  /** transitions (events) by action, sweeps' included */
  transitions: Record<string, number>;
  transitionsTotal: number;
  evaluations: { applicant: number; default: number };
  sweeps: { deemedAccepted: number; lapsed: number; defaultRatings: number };
  /** planned steps not taken because they fall after the end of the simulated time (the year's, or `until`) */
  afterEnd: number;
  /** steps the platform refused, by `step:CODE` (expected: none) */
  errors: Record<string, number>;
  /** decisions planned after the due date */
  plannedLate: number;
  applicants: number;
  staff: number;
  items: number;
  batches: number;
  retries: number;
  /** milliseconds: setting up (accounts, seals), planning, running (the sweeps' part of it apart), the statistics' refresh */
  ms: { setup: number; plan: number; run: number; sweeps: number; vacuum: number; stats: number; total: number; cpu: number };
  vacuums: number;
  /** the statistics module's headline rates over the year, when it answers */
  headline?: Record<string, unknown>;
}

interface CaseState {
  id: string | null;
  version: number;
  status: Status | null;
  recordedChannel: string | null;
  dead: boolean;
}

/**
 * One worker's batch transactions behind one object that stays the same from batch to batch.
 * Services cache per `Db` object — `getCalendar` (calendar/service.ts) keeps the working-day
 * calendar, ~100 ms to build, in a WeakMap keyed by the `db` it is given — and a transaction is
 * a new object every time: handed the transaction itself, every batch would build the calendar
 * again. Every property read on {@link TxHandle.db} is forwarded to the transaction of the batch
 * under way (and only while one is).
 */
class TxHandle {
  private current: Db | null = null;
  readonly db: Db;

  constructor() {
    const target = () => {
      if (!this.current) throw new Error('no batch transaction under way');
      return this.current as unknown as Record<PropertyKey, unknown>;
    };
    this.db = new Proxy({} as Db, {
      get: (_, prop) => {
        const tx = target();
        const v = tx[prop];
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(tx) : v;
      },
      has: (_, prop) => prop in target(),
      getPrototypeOf: () => Object.getPrototypeOf(target()),
    });
  }

  /** Runs `f` with {@link db} standing for `tx`. */
  async run<T>(tx: Db, f: (db: Db) => Promise<T>): Promise<T> {
    this.current = tx;
    try {
      return await f(this.db);
    } finally {
      this.current = null;
    }
  }
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** SQLSTATEs after which a batch is run again: deadlock, serialisation failure, lock not available. */
const RETRYABLE = new Set(['40P01', '40001', '55P03']);

function retryable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && RETRYABLE.has(e.code)) return true;
  return retryable(e.cause, depth + 1);
}

/** A submission with the channel it came through (mobile app, kiosk), which the service records. */
type SimSubmission = NewApplication & { channel?: Channel };

const COMMENTS = {
  reject: ['申请事项不属于本机关职权范围，依法不予受理', '申请人不具备申请资格，依法不予受理', '申请事项依法不需要取得行政许可'],
  supplement: ['请补正：', '申请材料不齐全，请一次性补正：'],
  deny: ['经审查，申请不符合法定条件，不予许可', '现场核查不符合要求，不予许可'],
  reviewNegative: ['经审查，申请材料与实际情况不符，建议不予许可'],
};

/**
 * Runs a simulation of `o.year` on `db` (migrated, with the reference data). See the file's
 * comment for what it makes.
 * @throws SimulationExistsError when the year has simulated data and `o.append` is not set
 */
export async function simulateYear(db: Db, o: SimulationOptions): Promise<SimulationReport> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const log = o.log ?? (() => {});
  if (!Number.isInteger(o.year) || o.year < 2005 || o.year > 2098) throw new Error(`--year must be a year the calendar covers: ${o.year}`);
  if (!Number.isInteger(o.cases) || o.cases < 1) throw new Error('--cases must be a positive whole number');
  const concurrency = Math.max(1, o.concurrency ?? 1);
  const batchSize = Math.max(1, o.batchSize ?? 500);
  const until = o.until ?? `${o.year}-12-31`;
  if (!isIsoDate(until) || !until.startsWith(`${o.year}-`)) throw new Error(`--until must be a date of ${o.year}: ${until}`);
  const yearStart = new Date(instant(`${o.year}-01-01`, 0));
  const endMs = instant(until, 24 * 60);

  // a year's simulated data is marked in the audit log; a second run only on purpose
  const stream = simulationStream(o.year);
  const runs = (await auditTrail(db, stream)).filter((e) => e.kind === 'simulation.started').length;
  if (runs && !o.append) throw new SimulationExistsError(o.year, runs);
  const run = runs + 1;
  await appendAudit(db, { stream, kind: 'simulation.started', actor: PLATFORM_ACTOR, payload: { year: o.year, cases: o.cases, seed: o.seed, run } }, new Date());

  const world = await buildWorld(db, o, until, yearStart, log);
  const tSetup = performance.now();
  // a further run plans other cases from the same seed
  const plans = planCases(world, o.cases, run === 1 ? o.seed : hash32(o.seed ^ hash32(run)));
  const tPlan = performance.now();

  // every step, bucketed by the calendar day it falls on (Asia/Shanghai)
  const dayOf = (t: number) => Math.floor((t + SHANGHAI) / DAY_MS);
  const firstDay = dayOf(yearStart.getTime());
  const nDays = dayOf(endMs - 1) - firstDay + 1;
  const buckets: number[][] = Array.from({ length: nDays }, () => []);
  let afterEnd = 0;
  let totalSteps = 0;
  plans.forEach((p, ci) =>
    p.steps.forEach((s, si) => {
      if (s.t >= endMs) return void afterEnd++;
      buckets[dayOf(s.t) - firstDay]!.push(ci * 64 + si);
      totalSteps++;
    }),
  );
  const stepOf = (ref: number) => plans[ref >> 6]!.steps[ref & 63]!;
  for (const b of buckets) b.sort((x, y) => stepOf(x).t - stepOf(y).t || x - y);

  const state: CaseState[] = plans.map(() => ({ id: null, version: 0, status: null, recordedChannel: null, dead: false }));
  const transitions: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const evaluations = { applicant: 0, default: 0 };
  const sweeps = { deemedAccepted: 0, lapsed: 0, defaultRatings: 0 };
  let done = 0;
  let submitted = 0;
  let batches = 0;
  let retries = 0;
  let transitionsTotal = 0;
  const principalOf = (who: number, c: CasePlan) => (who === APPLICANT ? world.applicants[c.applicant]!.principal : world.staff[who]!.principal);

  /** Executes one step in `tx`; records the case's new state in `st`. */
  async function execute(tx: Db, c: CasePlan, s: PlannedStep, st: CaseState, count: (action: string) => void) {
    const now = new Date(s.t);
    const p = principalOf(s.who, c);
    if (s.a === 'submit') {
      const applicant = world.applicants[c.applicant]!;
      const input: SimSubmission = {
        itemCode: c.item.code,
        form: { contactName: applicant.kind === 'person' ? applicant.name : `${applicant.name}经办人`, phone: applicant.phone, note: '' },
        materials: c.item.materials.map((m) => ({ materialId: m.id, fileName: `${m.name}.pdf` })),
        deliveryMethod: c.deliveryMethod,
        ...(c.channel === 'window' ? { applicant: { kind: applicant.kind, idNumber: applicant.idNumber, name: applicant.name } } : {}),
        ...(c.channel === 'mobile' || c.channel === 'kiosk' ? { channel: c.channel } : {}),
        ...(c.commitment ? { commitment: { textSm3: c.item.commitmentSm3! } } : {}),
      };
      const { application } = await submitApplication(tx, p, input, `sim-${o.year}-r${run}-${c.index}`, now);
      Object.assign(st, { id: application.id, version: application.version, status: application.status as Status, recordedChannel: application.channel });
      count('submit');
      return;
    }
    if (s.a === 'rate') {
      await evaluateApplication(tx, p, st.id!, { rating: s.x }, now);
      count('rate');
      return;
    }
    // the step after a deemed acceptance: the sweep moved the version on
    if (s.reload) {
      const row = await getVisibleApplication(tx, p, st.id!);
      st.version = row.version;
      st.status = row.status as Status;
    }
    const input: ActionInput = { version: st.version };
    const h = hash32(c.index * 31 + st.version);
    switch (s.a) {
      case 'reject':
        input.comment = COMMENTS.reject[h % COMMENTS.reject.length];
        break;
      case 'request_supplement': {
        const m = c.item.materials[h % Math.max(1, c.item.materials.length)];
        input.comment = `${COMMENTS.supplement[h % 2]}${m ? m.name : '申请书'}（需加盖公章/签名）`;
        break;
      }
      case 'supplement': {
        const m = c.item.materials[h % Math.max(1, c.item.materials.length)];
        input.materials = m ? [{ materialId: m.id, fileName: `${m.name}（补正）.pdf` }] : [{ name: '补正说明', fileName: '补正说明.pdf' }];
        break;
      }
      case 'review':
        if (s.x & 1) (input.opinion = 'reject'), (input.comment = COMMENTS.reviewNegative[0]);
        else input.comment = '材料齐全，符合法定条件';
        break;
      case 'opinion':
        input.opinion = 'approve';
        input.comment = '同意';
        break;
      case 'grant':
        input.comment = '经审查，申请符合法定条件，准予许可';
        break;
      case 'deny':
        input.comment = COMMENTS.deny[h % COMMENTS.deny.length];
        break;
      case 'deliver':
        if (c.deliveryMethod === 'window') {
          // the applicant shows the pickup code the decision gave them
          const mine = await getVisibleApplication(tx, world.applicants[c.applicant]!.principal, st.id!);
          input.delivery = { method: 'window', pickupCode: mine.pickupCode ?? '' };
        } else {
          input.delivery = { method: 'mail', trackingNumber: `EMS${o.year}${run}${String(c.index).padStart(9, '0')}` };
        }
        break;
    }
    const r = await performAction(tx, p, st.id!, s.a as Action, input, now, o.issue);
    st.version = r.version;
    st.status = r.status;
    count(s.a);
  }

  /** Runs `refs` (steps of one worker, in time order) as one transaction, again after a deadlock. */
  async function runBatch(refs: number[], handle: TxHandle) {
    for (let attempt = 0; ; attempt++) {
      const staged = new Map<number, CaseState>();
      const counted: Record<string, number> = {};
      const failed: Record<string, number> = {};
      const count = (a: string) => void (counted[a] = (counted[a] ?? 0) + 1);
      const body = async (tx: Db) => {
        for (const ref of refs) {
          const ci = ref >> 6;
          const c = plans[ci]!;
          let st = staged.get(ci);
          if (!st) staged.set(ci, (st = { ...state[ci]! }));
          if (st.dead) continue;
          const s = c.steps[ref & 63]!;
          if (s.a !== 'submit' && !st.id) continue;
          try {
            await execute(tx, c, s, st, count);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            st.dead = true;
            failed[`${s.a}:${err.code}`] = (failed[`${s.a}:${err.code}`] ?? 0) + 1;
          }
        }
      };
      try {
        if (batchSize > 1) await db.transaction((tx) => handle.run(tx, body));
        else await body(db);
      } catch (err) {
        if (retryable(err) && attempt < 8) {
          retries++;
          await new Promise((res) => setTimeout(res, 20 * (attempt + 1)));
          continue;
        }
        throw err;
      }
      for (const [ci, st] of staged) state[ci] = st;
      for (const [a, n] of Object.entries(counted)) {
        transitions[a] = (transitions[a] ?? 0) + n;
        if (a === 'rate') evaluations.applicant += n;
        else transitionsTotal += n;
        if (a === 'submit') submitted += n;
      }
      for (const [k, n] of Object.entries(failed)) errors[k] = (errors[k] ?? 0) + n;
      batches++;
      done += refs.length;
      return;
    }
  }

  let sweepMs = 0;
  let vacuumMs = 0;
  let vacuumedAt = 0;
  let vacuums = 0;
  const vacuumEvery = o.vacuumEvery ?? 50_000;
  const handles = Array.from({ length: concurrency }, () => new TxHandle());
  const progress = (day: string) => o.onProgress?.({ phase: 'run', done, total: totalSteps, day, cases: submitted, transitions: transitionsTotal });
  for (let d = 0; d < nDays; d++) {
    const date = new Date((firstDay + d) * DAY_MS).toISOString().slice(0, 10);
    // housekeeping at night, when enough was written since the last time
    if (vacuumEvery && done - vacuumedAt >= vacuumEvery) {
      const tv = performance.now();
      await db.execute(sql`VACUUM (ANALYZE)`);
      vacuumMs += performance.now() - tv;
      vacuumedAt = done;
      vacuums++;
    }
    // the sweeps at 07:00, before the day's work
    const sweepAt = new Date(instant(date, 7 * 60));
    const ts = performance.now();
    for (let n = 1; n; ) sweeps.deemedAccepted += n = await sweepSupplementNoticeLapses(db, sweepAt, o.issue);
    for (let n = 1; n; ) sweeps.lapsed += n = await sweepConditionalLapses(db, sweepAt);
    for (let n = 1; n; ) sweeps.defaultRatings += n = await sweepDefaultEvaluations(db, sweepAt);
    sweepMs += performance.now() - ts;
    const refs = buckets[d]!;
    if (refs.length) {
      const parts: number[][] = Array.from({ length: concurrency }, () => []);
      for (const ref of refs) parts[plans[ref >> 6]!.applicant % concurrency]!.push(ref);
      await Promise.all(
        parts.map(async (part, worker) => {
          for (let i = 0; i < part.length; i += batchSize) {
            await runBatch(part.slice(i, i + batchSize), handles[worker]!);
            progress(date);
          }
        }),
      );
    }
    progress(date);
  }
  transitions.deem_accepted = sweeps.deemedAccepted;
  transitions.lapse = sweeps.lapsed;
  transitionsTotal += sweeps.deemedAccepted + sweeps.lapsed;
  evaluations.default = sweeps.defaultRatings;

  // the cases a sweep moved last: their status as the platform has it
  for (const [ci, st] of state.entries()) {
    if (st.id && !st.dead && (st.status === 'submitted' || st.status === 'accepted' || st.status === 'reviewed')) {
      const row = await getVisibleApplication(db, world.applicants[plans[ci]!.applicant]!.principal, st.id);
      st.status = row.status as Status;
    }
  }
  const tRun = performance.now();

  const byStatus: Record<string, number> = {};
  const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  const byChannelStatus = Object.fromEntries(CHANNELS.map((c) => [c, {}])) as Record<Channel, Record<string, number>>;
  const byRecordedChannel: Record<string, number> = {};
  plans.forEach((p, ci) => {
    const st = state[ci]!;
    if (!st.id) return;
    byStatus[st.status!] = (byStatus[st.status!] ?? 0) + 1;
    byChannel[p.channel]++;
    byChannelStatus[p.channel][st.status!] = (byChannelStatus[p.channel][st.status!] ?? 0) + 1;
    byRecordedChannel[st.recordedChannel!] = (byRecordedChannel[st.recordedChannel!] ?? 0) + 1;
  });

  // the statistics' rollup and headline rates of the year
  o.onProgress?.({ phase: 'stats', done, total: totalSteps, day: until, cases: submitted, transitions: transitionsTotal });
  const end = new Date(endMs - 1000);
  let headline: Record<string, unknown> | undefined;
  try {
    await refreshStats(db, end);
    const s = await summarize(db, { from: `${o.year}-01-01`, to: until }, end);
    headline = { counts: s.counts, rates: s.rates, ratings: s.ratings, channels: s.channels };
  } catch (err) {
    log(`statistics unavailable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const tStats = performance.now();

  const report: SimulationReport = {
    year: o.year,
    seed: o.seed,
    run,
    cases: o.cases,
    submitted,
    byStatus,
    byChannel,
    byChannelStatus,
    byRecordedChannel,
    transitions,
    transitionsTotal,
    evaluations,
    sweeps,
    afterEnd,
    errors,
    plannedLate: plans.filter((p) => p.late && p.steps.some((s) => (s.a === 'grant' || s.a === 'deny') && s.t < endMs)).length,
    applicants: world.applicants.length,
    staff: world.staff.length,
    items: world.items.length,
    batches,
    retries,
    vacuums,
    ms: { setup: tSetup - t0, plan: tPlan - tSetup, run: tRun - tPlan, sweeps: sweepMs, vacuum: vacuumMs, stats: tStats - tRun, total: tStats - t0, cpu: cpuMs(process.cpuUsage(cpu0)) },
    headline,
  };
  await appendAudit(
    db,
    { stream, kind: 'simulation.completed', actor: PLATFORM_ACTOR, payload: { run, cases: submitted, byStatus, transitions: transitionsTotal, errors, seconds: Math.round(report.ms.total / 1000) } },
    new Date(),
  );
  return report;
}

/** The statuses in the order a report lists them. */
export const STATUS_ORDER: readonly Status[] = STATUSES;

/** Cases by channel (rows) and status (columns), as text lines. */
function statusTable(r: SimulationReport): string[] {
  const cols = STATUS_ORDER.filter((s) => r.byStatus[s]);
  const w = cols.map((s) => Math.max(s.length, String(r.byStatus[s]).length));
  const row = (label: string, cells: (string | number)[]) => `    ${label.padEnd(8)}${cells.map((c, i) => String(c).padStart(w[i]! + 2)).join('')}`;
  return [row('', cols), ...CHANNELS.map((c) => row(c, cols.map((s) => r.byChannelStatus[c][s] ?? 0))), row('total', cols.map((s) => r.byStatus[s]!))];
}

/** The report as lines of text (the command's closing summary). */
export function formatReport(r: SimulationReport): string[] {
  const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '—');
  const secs = r.ms.total / 1000;
  const runSecs = r.ms.run / 1000;
  const lines = [
    `模拟 ${r.year} 年（第 ${r.run} 次，种子 ${r.seed}）：${r.submitted} 件 / simulated ${r.year} (run ${r.run}, seed ${r.seed}): ${r.submitted} of ${r.cases} cases, ${r.items} items, ${r.applicants} applicants, ${r.staff} staff`,
    `  by status:  ${STATUS_ORDER.filter((s) => r.byStatus[s]).map((s) => `${s} ${r.byStatus[s]} (${pct(r.byStatus[s]!, r.submitted)})`).join(', ')}`,
    `  by channel: ${CHANNELS.map((c) => `${c} ${r.byChannel[c]} (${pct(r.byChannel[c], r.submitted)})`).join(', ')}`,
    ...statusTable(r),
    `  recorded channel: ${Object.entries(r.byRecordedChannel).map(([c, n]) => `${c} ${n}`).join(', ')}`,
    `  transitions: ${r.transitionsTotal} — ${Object.entries(r.transitions).filter(([a]) => a !== 'rate').sort((a, b) => b[1] - a[1]).map(([a, n]) => `${a} ${n}`).join(', ')}`,
    `  ratings: ${r.evaluations.applicant} by applicants, ${r.evaluations.default} by default; sweeps: ${r.sweeps.deemedAccepted} deemed accepted, ${r.sweeps.lapsed} lapsed`,
    `  steps after the end of the simulated time (not taken): ${r.afterEnd}; planned late decisions: ${r.plannedLate}; batches ${r.batches}, retries ${r.retries}`,
    `  time: ${secs.toFixed(1)} s (setup ${(r.ms.setup / 1000).toFixed(1)} s, plan ${(r.ms.plan / 1000).toFixed(1)} s, run ${runSecs.toFixed(1)} s of which sweeps ${(r.ms.sweeps / 1000).toFixed(1)} s and ${r.vacuums} VACUUM ${(r.ms.vacuum / 1000).toFixed(1)} s, statistics ${(r.ms.stats / 1000).toFixed(1)} s); this process's CPU ${(r.ms.cpu / 1000).toFixed(1)} s`,
    `  rate: ${(r.submitted / runSecs).toFixed(0)} cases/s, ${(r.transitionsTotal / runSecs).toFixed(0)} transitions/s during the run; ${(r.submitted / secs).toFixed(0)} cases/s overall`,
  ];
  const errs = Object.entries(r.errors);
  lines.push(errs.length ? `  refused steps: ${errs.map(([k, n]) => `${k} ${n}`).join(', ')}` : '  refused steps: none');
  const rates = (r.headline as { rates?: Record<string, { value: number | null; numerator: number; denominator: number }> } | undefined)?.rates;
  if (rates) lines.push(`  headline rates: ${Object.entries(rates).map(([k, v]) => `${k} ${v.value === null ? '—' : `${(v.value * 100).toFixed(1)}%`} (${v.numerator}/${v.denominator})`).join(', ')}`);
  return lines;
}
