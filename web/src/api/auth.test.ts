import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, errorCode, request } from './client';
import { auth } from './index';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: string | null) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(status === 204 ? null : body, { status })),
  );
}

describe('auth.me: "not signed in" is an answer, not an error', () => {
  it('reads 200 {"authenticated": false} as not signed in', async () => {
    answer(200, '{"authenticated":false}');
    await expect(auth.me()).resolves.toBeNull();
  });

  it('returns the user when signed in', async () => {
    answer(200, '{"authenticated":true,"username":"admin"}');
    await expect(auth.me()).resolves.toEqual({ username: 'admin' });
  });

  it('lets other failures through', async () => {
    answer(500, '{"error":"internal error","code":"internal"}');
    await expect(auth.me()).rejects.toBeInstanceOf(ApiError);
  });
});

describe('error codes', () => {
  it('keeps the server’s machine code beside its text', async () => {
    answer(409, '{"error":"this time is already taken","code":"time_taken"}');
    const err = await request('/appointments/1', { method: 'PUT', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('time_taken');
    expect((err as ApiError).message).toBe('this time is already taken');
  });

  it('is null when the answer has none', () => {
    expect(errorCode({ error: 'x' })).toBeNull();
    expect(errorCode(null)).toBeNull();
    expect(errorCode({ error: 'x', code: 'in_use' })).toBe('in_use');
  });
});
