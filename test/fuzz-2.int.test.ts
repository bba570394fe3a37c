/** Generated fuzz test of the whole HTTP API, second half of the routes: see test/fuzz.int.test.ts. */
import { fuzzShard } from './support/fuzz-run.js';

await fuzzShard(1, 2);
