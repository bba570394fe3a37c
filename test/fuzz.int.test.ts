/**
 * Generated fuzz test of the whole HTTP API (issue #6, bad input), first half of the routes;
 * test/fuzz-2.int.test.ts runs the second half in parallel. What is generated, sent and checked
 * is described in test/support/fuzz-run.ts and test/support/fuzz.ts.
 *
 * `FUZZ_RUNS=200 npx vitest run test/fuzz` runs fewer inputs per route; a failure prints the
 * shrunk request and fast-check's seed (`{ seed, path }`) to replay it.
 */
import { fuzzShard } from './support/fuzz-run.js';

await fuzzShard(0, 2);
