import i18n from './i18n';

const TOKEN_KEY = 'ow_token';
let memoryToken: string | null = null;

function readToken(): string | null {
  if (memoryToken) return memoryToken;
  try {
    memoryToken = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    /* storage unavailable (private mode) — the cookie still works */
  }
  return memoryToken;
}

export function setToken(token: string | null): void {
  memoryToken = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* ignore */
  }
}

/** An error answer from the API: `{error:{code,message}}`, message already translated by the server. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  return i18n.t('error.unknown');
}

type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** a body sent as is (e.g. a CSV file's text) with its own `Content-Type`, instead of JSON */
  raw?: { body: BodyInit; contentType: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Query): string {
  const url = `/api/v1${path.startsWith('/') ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/** The headers every API request carries: JSON answers, the UI language and the bearer token. */
export function baseHeaders(): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.language?.startsWith('en') ? 'en' : 'zh-CN',
  };
  const token = readToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...baseHeaders(), ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType;
    body = opts.raw.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? (opts.body !== undefined || opts.raw ? 'POST' : 'GET'),
      headers,
      body,
      credentials: 'include',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('error.network'));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? i18n.t('error.http', { status: res.status }),
    );
  }
  return data as T;
}

/**
 * Fetches a protected file (e.g. a document's PDF, `/api/v1/documents/{number}/pdf`) with the
 * session — bearer token and cookie — and returns it as a Blob. `url` is the API's own URL.
 * @throws ApiError with the server's (translated) message
 */
export async function fetchBlob(url: string): Promise<Blob> {
  const headers = { ...baseHeaders(), Accept: 'application/pdf, application/json' };
  let res: Response;
  try {
    res = await fetch(url, { headers, credentials: 'include' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('error.network'));
  }
  if (!res.ok) {
    let err: { code?: string; message?: string } | undefined;
    try {
      err = ((await res.json()) as { error?: { code?: string; message?: string } }).error;
    } catch {
      err = undefined;
    }
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? i18n.t('error.http', { status: res.status }));
  }
  return res.blob();
}

/** Saves a protected file under `fileName` (fetched with the session, then handed to the browser). */
export async function downloadFile(url: string, fileName: string): Promise<void> {
  const blob = await fetchBlob(url);
  const href = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = href;
    a.download = fileName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // give the browser time to start the download before the URL goes away
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }
}
