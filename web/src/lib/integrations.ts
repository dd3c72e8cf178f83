// The integrations' pure pieces: CSV export links built from the lists' filters, the client import's
// report read defensively, the calendar feed's full address, webhook event lists and recipients.
import { buildQuery } from '../api/client';
import {
  PERSONAL_FIELDS,
  WEBHOOK_EVENTS,
  type PersonalField,
  type ImportRejectedRow,
  type ImportReport,
  type ImportValidRow,
  type StatusName,
} from '../api/types';

/** The largest CSV the server takes (`POST /api/users/import`). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface AppointmentExportFilters {
  from?: string;
  to?: string;
  status?: StatusName | '';
  service_id?: number | '';
  staff_id?: number | '';
  q?: string;
  order?: 'asc' | 'desc';
}

/**
 * How the file reads in the owner's spreadsheet: in Ukrainian, semicolons (Excel's separator where the
 * decimal separator is a comma), Ukrainian headers and words; in English, the plain file integrations read.
 */
export function csvFormat(lang: string): { lang?: string; delimiter?: string } {
  return lang === 'uk' ? { lang: 'uk', delimiter: 'semicolon' } : {};
}

/** `/api/appointments.csv` with the table's filters (every page: no limit, no offset), for a reader of `lang`. */
export function appointmentsCsvUrl(f: AppointmentExportFilters, lang = 'en'): string {
  return `/api/appointments.csv${buildQuery({
    ...csvFormat(lang),
    from: f.from,
    to: f.to,
    status: f.status,
    service_id: f.service_id,
    staff_id: f.staff_id,
    q: f.q?.trim(),
    order: f.order,
  })}`;
}

/** `/api/users.csv` with the clients page's search, for a reader of `lang`. */
export function clientsCsvUrl(q: string, lang = 'en'): string {
  return `/api/users.csv${buildQuery({ ...csvFormat(lang), q: q.trim() })}`;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/**
 * Reads the import's answer, tolerating missing or odd fields (a missing list is empty, a missing
 * `created` is 0), rows sorted by line.
 */
export function parseImportReport(raw: unknown): ImportReport {
  const r = obj(raw);
  const valid: ImportValidRow[] = (Array.isArray(r.valid) ? r.valid : []).map((x) => {
    const o = obj(x);
    return { line: num(o.line) ?? 0, name: str(o.name), phone: str(o.phone), telegram_id: num(o.telegram_id) };
  });
  const rejected: ImportRejectedRow[] = (Array.isArray(r.rejected) ? r.rejected : []).map((x) => {
    const o = obj(x);
    return { line: num(o.line) ?? 0, error: str(o.error) };
  });
  valid.sort((a, b) => a.line - b.line);
  rejected.sort((a, b) => a.line - b.line);
  return { dry_run: r.dry_run !== false, created: num(r.created) ?? 0, valid, rejected };
}

/** Why a picked file cannot be sent, or null: not empty, at most 5 MB. */
export function importFileProblem(file: { size: number }): 'empty' | 'tooBig' | null {
  if (file.size === 0) return 'empty';
  if (file.size > MAX_IMPORT_BYTES) return 'tooBig';
  return null;
}

/** The full subscription address: the page's origin and the path the server gave. */
export function calendarFeedUrl(origin: string, path: string): string {
  return `${origin.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** True when a webhook gets every event (an empty list means every event too). */
export function hasAllEvents(events: readonly string[]): boolean {
  return events.length === 0 || WEBHOOK_EVENTS.every((e) => events.includes(e));
}

/** The events to send on creation: empty (= all) when nothing or everything is ticked, else in the canonical order. */
export function eventsToSend(picked: readonly string[]): string[] {
  const known = WEBHOOK_EVENTS.filter((e) => picked.includes(e));
  return known.length === WEBHOOK_EVENTS.length ? [] : known;
}

/** The personal fields to send on creation, known ones only, in the canonical order (none: ids only). */
export function personalFieldsToSend(picked: readonly string[]): PersonalField[] {
  return PERSONAL_FIELDS.filter((f) => picked.includes(f));
}

/** A token's name as the server takes it (1–100 characters after trimming), or null. */
export function tokenName(raw: string): string | null {
  const name = raw.trim();
  return name.length >= 1 && [...name].length <= 100 ? name : null;
}

/** A webhook address must be http(s) with a host (the server checks the same). */
export function isWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The webhook id in a delivery's recipient (`webhook 2` → 2), else null. */
export function webhookRecipientId(recipient: string): number | null {
  const m = /^webhook\s+(\d+)$/.exec(recipient.trim());
  return m ? Number(m[1]) : null;
}
