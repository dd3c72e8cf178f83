import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, errorMessage, request, setUnauthorizedHandler } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

function stubFetch(status: number, body: string, statusText = '') {
  const fetchMock = vi.fn(async () => new Response(status === 204 ? null : body, { status, statusText }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('buildQuery', () => {
  it('leaves out empty values', () => {
    expect(buildQuery({ from: '2026-01-01', status: '', q: undefined, limit: 20, offset: 0 })).toBe(
      '?from=2026-01-01&limit=20&offset=0',
    );
    expect(buildQuery({})).toBe('');
  });
});

describe('errorMessage', () => {
  it('prefers the server error text', () => {
    expect(errorMessage(409, { error: 'Цей час уже зайнятий' }, 'Conflict')).toBe('Цей час уже зайнятий');
    expect(errorMessage(500, null, 'Internal Server Error')).toBe('500 Internal Server Error');
    expect(errorMessage(502, null, '')).toBe('HTTP 502');
  });
});

describe('request', () => {
  it('sends JSON and returns the parsed answer', async () => {
    const f = stubFetch(200, '{"services":[]}');
    await expect(request('/services', { method: 'POST', body: { a: 1 }, query: { x: 'y' } })).resolves.toEqual({
      services: [],
    });
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/services?x=y');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"a":1}');
  });

  it('sends a raw body with its own Content-Type', async () => {
    const f = stubFetch(200, '{"created":0}');
    await request('/users/import', { method: 'POST', body: 'name,phone\n', contentType: 'text/csv', query: { dry_run: 'true' } });
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/users/import?dry_run=true');
    expect(init.body).toBe('name,phone\n');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('text/csv');
  });

  it('throws ApiError with the status and the server text', async () => {
    stubFetch(409, '{"error":"taken"}', 'Conflict');
    const err = await request('/appointments', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).message).toBe('taken');
  });

  it('reports 401 to the session handler, except where allowed', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    stubFetch(401, '{"error":"unauthorized"}');
    await expect(request('/users')).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(request('/auth/login', { method: 'POST', allow401: true })).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('treats 204 as no content', async () => {
    stubFetch(204, '');
    await expect(request('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('refuses a 200 that is not JSON', async () => {
    stubFetch(200, '<!doctype html>');
    await expect(request('/events')).rejects.toBeInstanceOf(ApiError);
  });
});
