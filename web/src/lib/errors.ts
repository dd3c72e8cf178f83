// What the panel says about a failed request: the translation of the server's machine `code`
// (`{"error": "...", "code": "time_taken"}`), never the server's English `error` text on its own.
// An unknown or missing code falls back to the generic text of the HTTP status; only then, and only
// in English, the server's own text follows as a detail (it is English and may help; a Ukrainian
// panel never shows it).
import { ApiError } from '../api/client';
import type { components } from '../api/schema';
import { translate, type MessageKey } from '../i18n';
import type { Lang } from './time';

/** The server's error codes, as generated from the `ErrorCode` enum of docs/openapi.json. */
export type ErrorCode = components['schemas']['ErrorCode'];

/** Every code, at run time; the check below fails to compile when the server adds one. */
export const ERROR_CODES = [
  'malformed_request',
  'unauthorized',
  'forbidden',
  'insufficient_scope',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  'invalid_value',
  'unknown_reference',
  'rule_past',
  'rule_min_notice',
  'rule_client_limit',
  'rule_service_hidden',
  'outside_horizon',
  'staff_not_performing',
  'rule_staff_hidden',
  'rule_outside_hours',
  'rule_change_window',
  'staff_required',
  'telegram_token_refused',
  'time_taken',
  'transition_not_allowed',
  'not_started_yet',
  'duplicate',
  'in_use',
  'conflict',
  'telegram_from_environment',
  'too_many_requests',
  'request_timeout',
  'busy',
  'telegram_unreachable',
  'internal',
] as const satisfies readonly ErrorCode[];
const everyCodeListed: [Exclude<ErrorCode, (typeof ERROR_CODES)[number]>] extends [never] ? true : false = true;
void everyCodeListed;

export function isErrorCode(code: string | null | undefined): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** The generic code of an HTTP status, for answers without a (known) code. */
export function codeForStatus(status: number): ErrorCode | null {
  switch (status) {
    case 400:
      return 'malformed_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'invalid_value';
    case 408:
      return 'request_timeout';
    case 429:
      return 'too_many_requests';
    case 503:
      return 'busy';
    default:
      return status >= 500 ? 'internal' : null;
  }
}

/** The translated text of an API error in `lang`. */
export function apiErrorText(err: ApiError, lang: Lang): string {
  if (isErrorCode(err.code)) return translate(lang, `error.code.${err.code}` as MessageKey);
  const generic = codeForStatus(err.status);
  const text = translate(lang, generic ? (`error.code.${generic}` as MessageKey) : 'error.unknown');
  const detail = err.message.trim();
  return lang === 'en' && detail ? `${text} ${translate(lang, 'error.detail', { detail })}` : text;
}

/** The translated text for anything an API call may throw. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return apiErrorText(err, lang);
  if (err instanceof TypeError) return translate(lang, 'error.network');
  // The panel's own errors carry an already translated text.
  if (err instanceof Error && err.message) return err.message;
  return translate(lang, 'error.unknown');
}
