import { authorizationHeader, onUnauthorized } from './auth';
import { formatWait, parseRetryAfter } from './wait';

/**
 * An API call that failed: status (0 when the web-ui itself could not be reached), the problem's detail and, when
 * the answer said how long to wait (429 after failed logins, 503), the seconds of its Retry-After.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly body?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail || title);
  }

  get backendDown(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** a 401 means "wrong password" here, not "session expired" */
  signingIn?: string;
}

export function url(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function rawRequest(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const auth = options.signingIn ?? authorizationHeader();
  // signed out meanwhile (e.g. a page still loading): do not send an anonymous call
  if (!auth) throw new ApiError(401, 'Not signed in', 'Please sign in.');
  headers.Authorization = auth;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(url(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
      credentials: 'omit',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Network error', 'The web-ui server is not reachable. Check your connection.');
  }
  if (!response.ok) throw await toError(response, options.signingIn !== undefined || auth !== authorizationHeader());
  return response;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await rawRequest(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return text as T;
  }
}

/** @param ownAuthCheck a 401 that must not end the session (a sign-in attempt, or a session that changed meanwhile) */
async function toError(response: Response, ownAuthCheck: boolean): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  let title = response.statusText || `HTTP ${response.status}`;
  let detail = '';
  let retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    body = json;
    title = String(json.title ?? title);
    detail = String(json.detail ?? json.message ?? json.error ?? '');
    if (retryAfterSeconds === undefined && typeof json.retryAfterSeconds === 'number') {
      retryAfterSeconds = Math.max(0, json.retryAfterSeconds);
    }
  } catch {
    detail = text.length < 300 ? text : '';
  }
  if (response.status === 401) {
    if (!ownAuthCheck) onUnauthorized();
    detail ||= ownAuthCheck ? 'Wrong user name or password.' : 'Please sign in again.';
  } else if (response.status === 403) {
    detail ||= 'Your role does not allow this.';
  } else if (response.status === 404 && !detail) {
    detail = 'Not found.';
  } else if (response.status === 429) {
    detail ||= retryAfterSeconds === undefined ? 'Too many requests: try again later.'
      : `Too many requests: try again in ${formatWait(retryAfterSeconds)}.`;
  }
  return new ApiError(response.status, title, detail || title, body, retryAfterSeconds);
}

/** Pages may come as a plain array or wrapped ({items|content|runs|...: [...]}). */
export function asList<T = Record<string, unknown>>(value: unknown, ...preferredKeys: string[]): T[] {
  if (Array.isArray(value)) return value as T[];
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of [...preferredKeys, 'items', 'content', 'data', 'results', 'elements', 'values']) {
      if (Array.isArray(record[key])) return record[key] as T[];
    }
    const arrays = Object.values(record).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0] as T[];
  }
  return [];
}

export function totalOf(value: unknown, fallback: number): number {
  if (value && typeof value === 'object') {
    const r = value as Record<string, unknown>;
    for (const key of ['total', 'totalElements', 'totalCount', 'count']) {
      if (typeof r[key] === 'number') return r[key] as number;
    }
  }
  return fallback;
}
