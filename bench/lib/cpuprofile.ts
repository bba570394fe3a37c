/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, and inclusive time per
 * "place" (a project source file under src/, an npm package, node's internals, or the engine's
 * own entries: garbage collector, idle, program).
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code lives: `src/…/file.ts`, `npm:package`, `node:internal`, or `(gc)` and the like. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (u.startsWith('node:')) return 'node:internal';
  const src = u.indexOf('/src/');
  if (src >= 0) return u.slice(src + 1);
  return path.basename(u);
}

export interface ProfileSummary {
  file: string;
  /** whether only the load window was counted (else the whole process lifetime, start-up included) */
  windowed: boolean;
  sampledMs: number;
  /** time not idle (ms) */
  busyMs: number;
  topSelf: { function: string; place: string; selfMs: number; selfPctOfBusy: number }[];
  topInclusivePlaces: { place: string; inclusiveMs: number; pctOfBusy: number }[];
}

/**
 * @param window only samples taken in this interval of the monotonic clock, in µs (V8 stamps samples
 *   with CLOCK_MONOTONIC, the clock of `process.hrtime`), e.g. the load phase without the start-up
 */
export function summarizeProfile(file: string, top = 15, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  const inWindow = window && window.fromUs >= p.startTime && window.toUs <= p.endTime ? window : undefined;
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (inWindow && (t < inWindow.fromUs || t > inWindow.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });

  let total = 0;
  let idle = 0;
  const selfByFn = new Map<string, { function: string; place: string; us: number }>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    total += us;
    if (n.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const place = placeOf(n.callFrame.url, n.callFrame.functionName);
    const key = `${n.callFrame.functionName}|${n.callFrame.url}|${n.callFrame.lineNumber}`;
    const e = selfByFn.get(key) ?? { function: `${n.callFrame.functionName || '(anonymous)'}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`, place, us: 0 };
    e.us += us;
    selfByFn.set(key, e);
    // inclusive: every place on the stack counts this node's self time once
    const places = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(root)') continue;
      places.add(placeOf(f.url, f.functionName));
    }
    for (const pl of places) inclusive.set(pl, (inclusive.get(pl) ?? 0) + us);
  }
  const busy = total - idle;
  const ms = (us: number) => Math.round(us / 100) / 10;
  const pct = (us: number) => Math.round((us / busy) * 1000) / 10;
  return {
    file,
    windowed: inWindow !== undefined,
    sampledMs: ms(total),
    busyMs: ms(busy),
    topSelf: [...selfByFn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ function: e.function, place: e.place, selfMs: ms(e.us), selfPctOfBusy: pct(e.us) })),
    topInclusivePlaces: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([place, us]) => ({ place, inclusiveMs: ms(us), pctOfBusy: pct(us) })),
  };
}
