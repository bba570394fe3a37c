/**
 * Malformed-request generators for the API fuzz test (test/fuzz.int.test.ts), built with
 * fast-check from each route's OpenAPI description: a value shaped like the route's JSON schema
 * is generated and then broken (wrong types, missing and extra fields, huge strings, deep
 * nesting, NUL and lone surrogates, unknown enum values, numbers out of range), or replaced by
 * text that is not JSON, bytes, or a file of another type; path parameters are IDs of nothing,
 * SQL-ish and path-traversal strings; query strings are wrong, repeated or badly encoded; the
 * Content-Type is wrong as often as right.
 */
import fc from 'fast-check';
import { EXE, PDF_START, PNG, zipOf } from './files.js';

/** The parts of JSON Schema (as @fastify/swagger writes zod schemas into OpenAPI 3.0) used here. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
}

/** What the fuzzer knows of one route, from the policy table and the OpenAPI document. */
export interface FuzzRoute {
  method: string;
  /** Fastify's URL, e.g. /api/v1/applications/:id */
  url: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  /** the JSON request body's schema, if the route declares one */
  body?: JsonSchema;
  /** the route takes an Idempotency-Key header */
  idempotent: boolean;
}

/** One malformed request. */
export interface FuzzRequest {
  method: string;
  /** path and query, encoded */
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
  /** picks the signed-in principal among those the route allows */
  who: number;
  /** the Authorization header of the anonymous copy: none, or a token of nobody */
  anonymousAuthorization?: string;
  /** what was broken, for the report */
  notes: string[];
}

/** Short, printable form of a request (fast-check prints counterexamples with it). */
export function describeRequest(r: FuzzRequest): string {
  const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  const payload = r.payload === undefined ? '' : Buffer.isBuffer(r.payload) ? ` bytes:${cut(r.payload.toString('hex'), 120)} (${r.payload.length} bytes)` : ` body:${cut(JSON.stringify(r.payload))}`;
  return `${r.method} ${cut(r.url, 400)} headers:${cut(JSON.stringify(r.headers), 300)}${payload} [${r.notes.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Junk values

const SQLISH = ["' OR '1'='1", "1; DROP TABLE users;--", "' UNION SELECT token_hash FROM sessions--", "1' AND pg_sleep(5)--", '"; SELECT 1; --', "\\'; --", '%', '_', '$1', '::text', "E'\\\\x00'"];
const TRAVERSAL = ['..', '../..', '../../etc/passwd', '..\\..\\windows\\win.ini', '....//....//', '/etc/passwd', 'C:\\boot.ini', '~', '.', '%2e%2e%2f'];
const NUMBERISH = ['-1', '0', '-0', '1.5', '1e309', '-1e309', 'NaN', 'Infinity', '0x10', '99999999999999999999999', '9007199254740993', ' 1', '1 ', '+1', '١٢٣'];
const ENUMISH = ['zzz', 'APPROVE', 'Approve', ' approve', 'approve\n', 'true ', 'null', 'undefined', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''];
const WEIRD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '$where', '', ' ', 'a.b', 'a[0]', '\u0000', '\ud800', '中文键', 'x'.repeat(300)];

/**
 * A string that PostgreSQL cannot store or that no route accepts. `huge` sets the long ones:
 * bodies get strings far over any field's limit; URLs shorter ones, as Node refuses a request
 * line over 16 KB before the application sees it.
 */
const badStringOf = (huge: [number, number]): fc.Arbitrary<[string, string]> => fc.oneof(
  fc.constantFrom(...SQLISH).map((s) => [s, 'sql-ish'] as [string, string]),
  fc.constantFrom(...TRAVERSAL).map((s) => [s, 'traversal'] as [string, string]),
  fc.constantFrom(...ENUMISH).map((s) => [s, 'enum-ish'] as [string, string]),
  fc.string().map((s) => [`${s}\u0000${s}`, 'NUL'] as [string, string]),
  fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\ude00b').map((s) => [s, 'lone surrogate'] as [string, string]),
  fc.constantFrom(...huge).map((n) => ['x'.repeat(n), `huge string ${n}`] as [string, string]),
  fc.constantFrom(...huge).map((n) => ['中'.repeat(Math.ceil(n / 3)), `huge CJK ${Math.ceil(n / 3)}`] as [string, string]),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => [s, 'unicode'] as [string, string]),
  fc.constantFrom('\u202e', '\ufeff', '\u200b', '<script>alert(1)</script>', '"><svg onload=alert(1)>', '{{7*7}}', '${7*7}', '\r\nSet-Cookie: x=1').map((s) => [s, 'odd text'] as [string, string]),
);
const badString = badStringOf([3_000, 20_000]);
const badQueryString = badStringOf([300, 2_500]);

/** Deeply nested arrays or objects. */
const deep: fc.Arbitrary<[unknown, string]> = fc.tuple(fc.constantFrom(21, 64, 2_000), fc.boolean()).map(([n, arrays]) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = arrays ? [v] : { a: v };
  return [v, `nested ${n}`];
});

/** A value of some JSON type (for wrong-type mutations). */
const anyType: fc.Arbitrary<[unknown, string]> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, '', '0', 'true', [], {}, [null], { '': null }).map((v) => [v, 'wrong type'] as [unknown, string]),
  fc.integer().map((v) => [v, 'wrong type'] as [unknown, string]),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => [v, 'wrong type'] as [unknown, string]),
  fc.jsonValue({ maxDepth: 3 }).map((v) => [v, 'random json'] as [unknown, string]),
);

/** A marker that {@link jsonText} writes as `1e400`, which JSON.parse reads as Infinity (JSON.stringify cannot write it). */
const INFINITY_MARKER = '\u0001RAW:1e400\u0001';

/** Numbers out of any sensible range. */
const badNumber: fc.Arbitrary<[unknown, string]> = fc.constantFrom(-1, 0, -0, 0.5, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 1, INFINITY_MARKER).map((v) => [v, 'number out of range'] as [unknown, string]);

/** Any junk for a field. */
const junk: fc.Arbitrary<[unknown, string]> = fc.oneof({ weight: 3, arbitrary: badString }, { weight: 2, arbitrary: anyType }, { weight: 1, arbitrary: deep }, { weight: 2, arbitrary: badNumber });

// ---------------------------------------------------------------------------------------------
// Values shaped like a schema

/**
 * Strings that look right to a schema but mean nothing here (dates that do not exist or lie
 * outside the calendar, IDs of nothing), to reach the services' own checks. Never the name of a
 * real account, item or department: a request that happened to be right would store something.
 */
const plausible: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '1900-01-01', '2004-01-01', '2099-12-31', '9999-12-31', '2026-10-01', '2026-09-30', '20261001', '2026-10-01T00:00:00Z', '2026-10-01T25:61:00+08:00', '+275760-09-13T00:00:00.000Z'),
  fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('2200-01-01') }).map((d) => d.toISOString().slice(0, 10)),
  fc.uuid(),
  fc.constantFrom('QC-NONE-001', 'QCSL2026999999', 'nobody', 'no-such-user', '441802999999', '000000000000000000', 'IIIIIIIIIIIIIIIIII'),
  fc.constantFrom('approve', 'window', 'mail', 'online', 'person'),
);

function firstType(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  return s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/** Values that (mostly) satisfy `s`; the fuzzer breaks them afterwards. */
export function shaped(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => shaped(a, depth + 1)));
  if (s.allOf?.length) return shaped(s.allOf[0], depth + 1);
  const base = shapedOfType(s, depth);
  return s.nullable ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function shapedOfType(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (firstType(s)) {
    case 'object': {
      const props = s.properties ?? {};
      const keys = Object.keys(props);
      if (!keys.length) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      const model = Object.fromEntries(keys.map((k) => [k, shaped(props[k], depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => keys.includes(k)) });
    }
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(shaped(s.items, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)) });
    }
    case 'string': {
      const re = s.pattern ? safeRegExp(s.pattern) : undefined;
      if (re) {
        try {
          return fc.stringMatching(re).filter((v) => v.length <= (s.maxLength ?? Infinity));
        } catch {
          // a pattern fast-check cannot generate from: plain strings then
        }
      }
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString());
      if (s.format === 'uuid') return fc.uuid();
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? Infinity;
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 20)) }) },
        { weight: 1, arbitrary: plausible.filter((v) => v.length >= min && v.length <= max) },
      );
    }
    case 'integer':
    case 'number': {
      const exMin = s.exclusiveMinimum === true || typeof s.exclusiveMinimum === 'number';
      const exMax = s.exclusiveMaximum === true || typeof s.exclusiveMaximum === 'number';
      const lo = Math.max(typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : (s.minimum ?? -1e6), -1e6) + (exMin ? 1 : 0);
      const hi = Math.min(typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : (s.maximum ?? 1e6), 1e6) - (exMax ? 1 : 0);
      return fc.integer({ min: Math.ceil(Math.min(lo, hi)), max: Math.floor(Math.max(lo, hi)) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---------------------------------------------------------------------------------------------
// Breaking a value

type Path = (string | number)[];

function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length < 8 && v !== null && typeof v === 'object') {
    for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) pathsOf(child, [...at, k], out);
  }
  return out;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** `root` with the value at `path` replaced (or deleted when `value` is the DELETE marker). */
function setAt(root: unknown, path: Path, value: unknown, del = false): unknown {
  if (!path.length) return del ? undefined : value;
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (del) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

type Mutation = { kind: 'replace'; pick: number; value: unknown; label: string } | { kind: 'delete'; pick: number } | { kind: 'extra'; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.nat(), junk).map(([pick, [value, label]]) => ({ kind: 'replace' as const, pick, value, label })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: 'delete' as const, pick })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...WEIRD_KEYS), fc.string({ maxLength: 10 })), junk).map(([pick, key, [value]]) => ({ kind: 'extra' as const, pick, key, value })) },
);

function applyMutation(v: unknown, m: Mutation, notes: string[]): unknown {
  const paths = pathsOf(v);
  if (m.kind === 'replace') {
    const p = paths[m.pick % paths.length]!;
    notes.push(`${m.label} at /${p.join('/')}`);
    return setAt(v, p, m.value);
  }
  if (m.kind === 'delete') {
    const candidates = paths.filter((p) => p.length > 0);
    if (!candidates.length) return v;
    const p = candidates[m.pick % candidates.length]!;
    notes.push(`missing /${p.join('/')}`);
    return setAt(v, p, undefined, true);
  }
  const objects = paths.filter((p) => {
    let node: unknown = v;
    for (const k of p) node = (node as Record<string | number, unknown>)[k];
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  if (!objects.length) return v;
  const p = objects[m.pick % objects.length]!;
  notes.push(`extra field ${JSON.stringify(m.key.slice(0, 20))} at /${p.join('/')}`);
  let node: unknown = v;
  for (const k of p) node = (node as Record<string | number, unknown>)[k];
  // defineProperty: `__proto__` must become a key of the JSON text, not the object's prototype
  const withKey = clone(node) as Record<string, unknown>;
  Object.defineProperty(withKey, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
  return setAt(v, p, withKey);
}

/** JSON text of `v`, with {@link INFINITY_MARKER} written as `1e400`. */
function jsonText(v: unknown): string {
  return (JSON.stringify(v) ?? 'null').replace(/"\\u0001RAW:([^\\]*)\\u0001"/g, '$1');
}

const INVALID_JSON = ['', '{', '}', '[', '{"a":1,}', "{'a':1}", '{"a":1}}', 'undefined', 'NaN', '-', '01', '1e400', '"\\ud800"', '"\\u0000"', '{"a":"\\x41"}', '\u0000', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"a":1,"a":2}', '\ufeff{}', '[]', 'null', 'true', '"text"', '1', '{"a":'.repeat(50)];

/** A JSON body for `schema`, broken one to three ways; or not JSON at all. */
export function jsonBody(schema: JsonSchema | undefined): fc.Arbitrary<{ text: string | Buffer; notes: string[] }> {
  const broken = fc.tuple(shaped(schema), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => {
    const notes: string[] = [];
    let value = v;
    for (const m of ms) value = applyMutation(value, m, notes);
    return { text: jsonText(value), notes };
  });
  // shaped values with nonsense in them (no field broken) go past validation into the services
  const nonsense = shaped(schema).map((v) => ({ text: jsonText(v), notes: ['shaped, values of nothing'] }));
  return fc.oneof(
    { weight: 12, arbitrary: broken },
    { weight: 3, arbitrary: nonsense },
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_JSON).map((text) => ({ text, notes: ['invalid JSON text'] })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ text, notes: ['random text'] })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ text: Buffer.concat([Buffer.from('{"a":"'), Buffer.from(b), Buffer.from('"}')]), notes: ['raw bytes in JSON'] })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: jsonText(v), notes: ['random JSON'] })) },
  );
}

/** Bytes of the wrong kind for an upload route, or random. */
const fileBytes: fc.Arbitrary<{ bytes: Buffer; note: string }> = fc.oneof(
  fc.constantFrom(
    { bytes: PNG, note: 'PNG' },
    { bytes: EXE, note: 'EXE' },
    { bytes: PDF_START, note: 'a PDF' },
    { bytes: zipOf('readme.txt', 'hi'), note: 'ZIP' },
    { bytes: Buffer.from('foo,bar\n1,2'), note: 'CSV text' },
    { bytes: Buffer.from([0xc7, 0xe5, 0xb3, 0xc7, 0x2c, 0x61]), note: 'GBK text' },
    { bytes: Buffer.alloc(0), note: 'empty' },
  ),
  fc.uint8Array({ maxLength: 512 }).map((b) => ({ bytes: Buffer.from(b), note: 'random bytes' })),
);

const CONTENT_TYPES = [
  'text/plain',
  'text/csv',
  'application/pdf',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'image/png',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/json; charset=latin1',
  'application/json; charset=utf-8',
  'application/jsonx',
  'garbage',
  ';;',
];

// ---------------------------------------------------------------------------------------------
// Path parameters and query strings

function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate has no UTF-8: send its CESU bytes
  }
}

/** A path parameter naming nothing: already URL-encoded. */
const pathParam: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.uuid().map((u) => [u, 'uuid of nothing'] as [string, string]),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '-'.repeat(36), 'QCSL2099999999', 'QC-NONE-999').map((s) => [s, 'id of nothing'] as [string, string]),
  fc.constantFrom(...SQLISH).map((s) => [encode(s), 'sql-ish'] as [string, string]),
  fc.constantFrom(...TRAVERSAL).map((s) => [encode(s), 'traversal'] as [string, string]),
  fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%252e%252e%252f', '..%5C..%5C', '%00', 'a%00b', '%ED%A0%80', '%C0%AF', '%FF', '%', '%zz', '%E4%B8').map((s) => [s, 'raw encoding'] as [string, string]),
  fc.constantFrom(...NUMBERISH).map((s) => [encode(s), 'number-ish'] as [string, string]),
  fc.constantFrom(65, 121, 501, 2_000).map((n) => ['a'.repeat(n), `long ${n}`] as [string, string]),
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 30 })
    .filter((s) => !/^\s*\d{1,4}\s*$/.test(s)) // never a year the calendar would take
    .map((s) => [encode(s), 'random'] as [string, string]),
);

/** A query string for `params`: their values shaped or broken, extra and repeated keys, bad encodings. */
function queryString(params: FuzzRoute['query']): fc.Arbitrary<{ qs: string; notes: string[] }> {
  const value = (p: FuzzRoute['query'][number]) =>
    fc.oneof(
      { weight: 2, arbitrary: shaped(p.schema).map((v) => [encode(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')), 'shaped'] as [string, string]) },
      { weight: 3, arbitrary: badQueryString.map(([s, label]) => [encode(s), label] as [string, string]) },
      { weight: 1, arbitrary: fc.constantFrom(...NUMBERISH).map((s) => [encode(s), 'number-ish'] as [string, string]) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%ED%A0%80', '%FF%FE', '+', '&', '=', '').map((s) => [s, 'raw encoding'] as [string, string]) },
    );
  const pairs = fc.tuple(
    ...params.map((p) => fc.tuple(fc.constant(p), fc.option(fc.array(value(p), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 3 }))),
  );
  const extras = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...WEIRD_KEYS).map(encode), fc.string({ maxLength: 8 }).map(encode)), value({ name: 'x', schema: {}, required: false })), { maxLength: 2 });
  return fc.tuple(pairs, extras, fc.option(fc.constantFrom('&&&', '=', '?', '#frag', '&a[b]=1', '&x=1&x=2', ';'), { nil: undefined })).map(([ps, ex, tail]) => {
    const notes: string[] = [];
    const parts: string[] = [];
    for (const [p, values] of ps) {
      if (!values) {
        if (p.required) notes.push(`query ${p.name} missing`);
        continue;
      }
      if (values.length > 1) notes.push(`query ${p.name} repeated`);
      for (const [v, label] of values) {
        parts.push(`${encode(p.name)}=${v}`);
        if (label !== 'shaped') notes.push(`query ${p.name} ${label}`);
      }
    }
    for (const [k, [v]] of ex) {
      parts.push(`${k}=${v}`);
      notes.push('extra query');
    }
    const qs = parts.join('&') + (tail ?? '');
    return { qs: qs ? `?${qs}` : '', notes };
  });
}

const ACCEPT_LANGUAGE = ['en', 'zh-CN', 'en-US,en;q=0.5', '*', 'xx', ';;;', 'en;q=abc', 'zh;q=2', 'x'.repeat(300)];

/**
 * Malformed requests for `route`: a JSON (or file) body broken one to three ways, a wrong
 * Content-Type one time in four, path parameters naming nothing, and a bad query string.
 */
export function requestArbitrary(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  const params = fc.tuple(...route.pathParams.map(() => pathParam));
  const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  const body = hasBody
    ? fc.oneof(
        { weight: 4, arbitrary: jsonBody(route.body).map((b) => ({ payload: b.text as string | Buffer | undefined, notes: b.notes })) },
        { weight: 1, arbitrary: fileBytes.map((f) => ({ payload: f.bytes as string | Buffer | undefined, notes: [`file: ${f.note}`] })) },
        { weight: 1, arbitrary: fc.constant({ payload: undefined as string | Buffer | undefined, notes: ['no body'] }) },
      )
    : fc.oneof({ weight: 9, arbitrary: fc.constant({ payload: undefined as string | Buffer | undefined, notes: [] as string[] }) }, { weight: 1, arbitrary: jsonBody(undefined).map((b) => ({ payload: b.text as string | Buffer | undefined, notes: ['body on GET', ...b.notes] })) });
  const headers = fc.record(
    {
      'accept-language': fc.constantFrom(...ACCEPT_LANGUAGE),
      'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('short', 'k'.repeat(200), 'same-key-every-time')),
      origin: fc.constantFrom('https://evil.example', 'null', 'http://localhost'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', 'not-an-ip', '::1, 10.0.0.1'),
    },
    { requiredKeys: [] },
  );
  const anonymousAuthorization = fc.option(fc.constantFrom('Bearer ', 'Bearer nobody', 'Bearer ' + 'x'.repeat(500), 'Basic YWRtaW46YWRtaW4=', 'bearer lowercase', 'Bearer \u00ff'), { nil: undefined, freq: 2 });
  return fc
    .record({
      params,
      query: queryString(route.query),
      contentType,
      body,
      headers,
      remoteAddress: fc.ipV4(),
      who: fc.nat(1000),
      anonymousAuthorization,
    })
    .map(({ params: ps, query, contentType: ct, body: b, headers: hs, remoteAddress, who, anonymousAuthorization: anon }) => {
      const notes: string[] = [];
      let i = 0;
      const path = route.url.replace(/:(\w+)/g, () => {
        const [value, label] = ps[i++]!;
        notes.push(`param ${label}`);
        return value;
      });
      notes.push(...query.notes, ...b.notes);
      const headers: Record<string, string> = { ...hs } as Record<string, string>;
      if (!route.idempotent) delete headers['idempotency-key'];
      if (b.payload !== undefined) {
        headers['content-type'] = ct;
        if (ct !== 'application/json') notes.push(`content-type ${ct}`);
      }
      const req: FuzzRequest = { method: route.method, url: `${path}${query.qs}`, headers, payload: b.payload, remoteAddress, who, anonymousAuthorization: anon, notes };
      return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
    });
}
