// The one place that talks HTTP to the Zapys API.

/**
 * A failed answer. `message` is the server's own `error` text (English, for logs and the English
 * panel's detail); `code` is its stable machine code (`{"error": "...", "code": "time_taken"}`), null
 * when the server sent none. The panel shows users the translation of the code (lib/errors.ts).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;

  constructor(status: number, message: string, code: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Called (once per failing request) whenever the API answers 401 to a signed-in call. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `?a=1&b=x`, leaving out empty values. */
export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Do not treat 401 as "session ended" (login and the initial session check). */
  allow401?: boolean;
  /** Send `body` (a string) as it is with this Content-Type instead of as JSON (e.g. a CSV upload). */
  contentType?: string;
}

/** Pulls the `{"error": "..."}` text out of a failed answer. */
export function errorMessage(status: number, body: unknown, statusText: string): string {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error;
    if (typeof e === 'string' && e.trim() !== '') return e;
  }
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (typeof m === 'string' && m.trim() !== '') return m;
  }
  return statusText ? `${status} ${statusText}` : `HTTP ${status}`;
}

/** The `code` of a failed answer's `{"error": "...", "code": "..."}`, or null. */
export function errorCode(body: unknown): string | null {
  if (body && typeof body === 'object' && 'code' in body) {
    const c = (body as { code: unknown }).code;
    if (typeof c === 'string' && c.trim() !== '') return c;
  }
  return null;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, allow401 = false, contentType } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined && contentType && typeof body === 'string') {
    headers['Content-Type'] = contentType;
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const response = await fetch(`/api${path}${buildQuery(query)}`, init);
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    if (response.status === 401 && !allow401 && onUnauthorized) onUnauthorized();
    throw new ApiError(response.status, errorMessage(response.status, data, response.statusText), errorCode(data));
  }
  if (data === null && text) {
    // A 200 that is not JSON (e.g. the SPA's index.html for an unknown route).
    throw new ApiError(response.status, `Unexpected response from ${path}`);
  }
  return data as T;
}
