// SQL tracer for the benchmark (never loaded by the application itself): preloaded into the server
// process with `node --import ./bench/lib/sql-trace.mjs bin/onewindow.mjs serve`. When
// ONEWINDOW_BENCH_SQL_TRACE names a file, every query node-postgres sends is appended to it as one
// JSON line: { c: connection number, t: ms since epoch, sql, values } — the values as pg sends them
// (after pg's own prepareValue; a Buffer as { bytea: hex }), so a captured statement can be
// replayed exactly.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const file = process.env.ONEWINDOW_BENCH_SQL_TRACE;
if (file) {
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const pg = require('pg');
  const { prepareValue } = require('pg/lib/utils');
  const fd = fs.openSync(file, 'a');
  const ids = new WeakMap();
  let next = 0;
  const original = pg.Client.prototype.query;
  const show = (v) => {
    const p = prepareValue(v);
    return Buffer.isBuffer(p) ? { bytea: p.toString('hex') } : p;
  };
  pg.Client.prototype.query = function query(config, values, callback) {
    let sql;
    let vals;
    if (typeof config === 'string') {
      sql = config;
      vals = Array.isArray(values) ? values : undefined;
    } else if (config && typeof config === 'object' && typeof config.text === 'string') {
      sql = config.text;
      vals = config.values ?? (Array.isArray(values) ? values : undefined);
    }
    if (sql !== undefined) {
      if (!ids.has(this)) ids.set(this, ++next);
      try {
        fs.writeSync(fd, JSON.stringify({ c: ids.get(this), t: Date.now(), sql, values: vals?.map(show) }) + '\n');
      } catch {
        // tracing must never break the server
      }
    }
    return original.apply(this, arguments);
  };
}
