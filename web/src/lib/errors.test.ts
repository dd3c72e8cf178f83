import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { en } from '../i18n/en';
import { uk } from '../i18n/uk';
import { apiErrorText, codeForStatus, ERROR_CODES, errorText } from './errors';

describe('apiErrorText', () => {
  it('translates every server code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(uk, code).toHaveProperty(`error.code.${code}`);
      expect(en, code).toHaveProperty(`error.code.${code}`);
    }
  });

  it('shows our translation of the code, never the server text, in Ukrainian and in English', () => {
    const err = new ApiError(409, 'this time is already taken (it overlaps another booking)', 'time_taken');
    expect(apiErrorText(err, 'uk')).toBe(uk['error.code.time_taken']);
    expect(apiErrorText(err, 'en')).toBe(en['error.code.time_taken']);
  });

  it('tells the booking rules apart by code, all answered 422', () => {
    const texts = ['rule_past', 'rule_min_notice', 'rule_client_limit', 'rule_service_hidden', 'outside_horizon'].map((c) =>
      apiErrorText(new ApiError(422, 'refused', c), 'uk'),
    );
    expect(new Set(texts).size).toBe(5);
  });

  it('falls back to the status’s generic text for an unknown or missing code; the server text only as an English detail', () => {
    const unknown = new ApiError(409, 'a brand new refusal', 'something_new');
    expect(apiErrorText(unknown, 'uk')).toBe(uk['error.code.conflict']);
    expect(apiErrorText(unknown, 'en')).toBe(`${en['error.code.conflict']} Server said: a brand new refusal`);
    const old = new ApiError(422, 'price must not be negative');
    expect(apiErrorText(old, 'uk')).toBe(uk['error.code.invalid_value']);
    expect(apiErrorText(new ApiError(418, ''), 'uk')).toBe(uk['error.unknown']);
  });

  it('maps the statuses to their generic codes', () => {
    expect(codeForStatus(404)).toBe('not_found');
    expect(codeForStatus(429)).toBe('too_many_requests');
    expect(codeForStatus(503)).toBe('busy');
    expect(codeForStatus(502)).toBe('internal');
    expect(codeForStatus(408)).toBe('request_timeout');
    expect(codeForStatus(302)).toBeNull();
  });
});

describe('errorText', () => {
  it('says "no connection" for a network failure and keeps the panel’s own messages', () => {
    expect(errorText(new TypeError('Failed to fetch'), 'uk')).toBe(uk['error.network']);
    expect(errorText(new Error('Вкажіть chat id'), 'uk')).toBe('Вкажіть chat id');
    expect(errorText('?', 'en')).toBe(en['error.unknown']);
  });
});
