// Deadline computations per second on the official calendar (goal of the catalogue/clock issue:
// ≥ 5M/s). Run: npx tsx bench/clock.ts
import { officialCalendar } from '../src/platform/calendar.js';

const cal = officialCalendar();
const starts: string[] = [];
for (let d = Date.UTC(2024, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) starts.push(new Date(d).toISOString().slice(0, 10));

function run(label: string, n: number, f: (i: number) => unknown) {
  for (let i = 0; i < 100_000; i++) f(i); // warm up
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += (f(i) as { date: string | null }).date ? 1 : 0;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(44)} ${(n / s / 1e6).toFixed(2)} M/s  (${n.toLocaleString()} in ${s.toFixed(3)} s, sink ${sink})`);
  return n / s;
}

const N = 5_000_000;
const wd = run('addWorkingDays (limit 1–60 working days)', N, (i) => cal.addWorkingDays(starts[i % starts.length]!, (i % 60) + 1));
run('addNaturalDays (limit 1–60 days)', N, (i) => cal.addNaturalDays(starts[i % starts.length]!, (i % 60) + 1));
run('addWorkingDaysWithPauses (one pause)', N, (i) => cal.addWorkingDaysWithPauses(starts[i % starts.length]!, 20, [{ from: starts[(i + 3) % starts.length]!, to: starts[(i + 9) % starts.length]! }]));
console.log(`\ngoal ≥ 5 M/s for addWorkingDays: ${wd >= 5e6 ? 'met' : 'NOT met'}`);
