import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '../api/types';
import {
  appointmentsCsvUrl,
  calendarFeedUrl,
  clientsCsvUrl,
  eventsToSend,
  hasAllEvents,
  importFileProblem,
  isWebhookUrl,
  MAX_IMPORT_BYTES,
  parseImportReport,
  personalFieldsToSend,
  tokenName,
  webhookRecipientId,
} from './integrations';

describe('CSV export links', () => {
  it('carry the table filters, leaving out empty ones and any paging', () => {
    expect(appointmentsCsvUrl({ from: '', to: '', status: '', service_id: '', q: '' })).toBe('/api/appointments.csv');
    expect(
      appointmentsCsvUrl({ from: '2026-03-01', to: '2026-03-31', status: 'confirmed', service_id: 4, q: '  Олена ' }),
    ).toBe('/api/appointments.csv?from=2026-03-01&to=2026-03-31&status=confirmed&service_id=4&q=%D0%9E%D0%BB%D0%B5%D0%BD%D0%B0');
    expect(appointmentsCsvUrl({ q: '+380 50', order: 'desc' })).toBe('/api/appointments.csv?q=%2B380+50&order=desc');
    expect(appointmentsCsvUrl({ staff_id: 3 })).toBe('/api/appointments.csv?staff_id=3');
  });

  it('search the clients', () => {
    expect(clientsCsvUrl('')).toBe('/api/users.csv');
    expect(clientsCsvUrl('  ')).toBe('/api/users.csv');
    expect(clientsCsvUrl('Ivan & Co')).toBe('/api/users.csv?q=Ivan+%26+Co');
  });

  it('read in Ukrainian Excel when the panel speaks Ukrainian', () => {
    expect(appointmentsCsvUrl({ status: 'confirmed' }, 'uk')).toBe('/api/appointments.csv?lang=uk&delimiter=semicolon&status=confirmed');
    expect(appointmentsCsvUrl({ status: 'confirmed' }, 'en')).toBe('/api/appointments.csv?status=confirmed');
    expect(clientsCsvUrl('Олена', 'uk')).toBe('/api/users.csv?lang=uk&delimiter=semicolon&q=%D0%9E%D0%BB%D0%B5%D0%BD%D0%B0');
  });
});

describe('parseImportReport', () => {
  it('reads the server answer, rows in line order', () => {
    const r = parseImportReport({
      dry_run: true,
      created: 0,
      valid: [
        { line: 4, name: 'B', phone: '+380501112234', telegram_id: 42 },
        { line: 2, name: 'A', phone: '+380501112233', telegram_id: null },
      ],
      rejected: [{ line: 3, error: 'phone must be a phone number such as +380671234567' }],
    });
    expect(r.dry_run).toBe(true);
    expect(r.valid.map((v) => v.line)).toEqual([2, 4]);
    expect(r.valid[1]).toEqual({ line: 4, name: 'B', phone: '+380501112234', telegram_id: 42 });
    expect(r.rejected).toEqual([{ line: 3, error: 'phone must be a phone number such as +380671234567' }]);
  });

  it('tolerates missing and odd fields', () => {
    expect(parseImportReport(null)).toEqual({ dry_run: true, created: 0, valid: [], rejected: [] });
    const r = parseImportReport({ dry_run: false, created: '2', valid: 'x', rejected: [{ error: 7 }, null] });
    expect(r.dry_run).toBe(false);
    expect(r.created).toBe(0);
    expect(r.valid).toEqual([]);
    expect(r.rejected).toEqual([
      { line: 0, error: '7' },
      { line: 0, error: '' },
    ]);
  });
});

describe('import file checks', () => {
  it('refuse empty files and files over 5 MB', () => {
    expect(importFileProblem({ size: 0 })).toBe('empty');
    expect(importFileProblem({ size: 10 })).toBeNull();
    expect(importFileProblem({ size: MAX_IMPORT_BYTES })).toBeNull();
    expect(importFileProblem({ size: MAX_IMPORT_BYTES + 1 })).toBe('tooBig');
  });
});

describe('calendar feed address', () => {
  it('joins the origin and the path once', () => {
    expect(calendarFeedUrl('https://zapys.example', '/calendar/abc.ics')).toBe('https://zapys.example/calendar/abc.ics');
    expect(calendarFeedUrl('http://127.0.0.1:8080/', 'calendar/abc.ics')).toBe('http://127.0.0.1:8080/calendar/abc.ics');
  });
});

describe('webhooks', () => {
  it('send no list when nothing or everything is ticked', () => {
    expect(eventsToSend([])).toEqual([]);
    expect(eventsToSend([...WEBHOOK_EVENTS].reverse())).toEqual([]);
    expect(eventsToSend(['booking.moved', 'booking.created', 'nonsense'])).toEqual(['booking.created', 'booking.moved']);
  });

  it('know when a webhook gets every event', () => {
    expect(hasAllEvents([])).toBe(true);
    expect(hasAllEvents([...WEBHOOK_EVENTS])).toBe(true);
    expect(hasAllEvents(['booking.created'])).toBe(false);
  });

  it('accept only http(s) addresses', () => {
    expect(isWebhookUrl('http://127.0.0.1:9/hook')).toBe(true);
    expect(isWebhookUrl(' https://example.com/zapys ')).toBe(true);
    expect(isWebhookUrl('ftp://example.com')).toBe(false);
    expect(isWebhookUrl('example.com/hook')).toBe(false);
    expect(isWebhookUrl('')).toBe(false);
  });

  it('read the webhook id of a delivery', () => {
    expect(webhookRecipientId('webhook 2')).toBe(2);
    expect(webhookRecipientId('client')).toBeNull();
    expect(webhookRecipientId('webhook')).toBeNull();
  });
});

describe('webhook personal fields', () => {
  it('sends none unless ticked, known ones in the canonical order', () => {
    expect(personalFieldsToSend([])).toEqual([]);
    expect(personalFieldsToSend(['client_phone', 'client_name'])).toEqual(['client_name', 'client_phone']);
    expect(personalFieldsToSend(['client_phone', 'client_email'])).toEqual(['client_phone']);
  });
});

describe('API token names', () => {
  it('are trimmed and 1 to 100 characters long', () => {
    expect(tokenName('  crm ')).toBe('crm');
    expect(tokenName('   ')).toBeNull();
    expect(tokenName('я'.repeat(100))).toBe('я'.repeat(100));
    expect(tokenName('x'.repeat(101))).toBeNull();
  });
});
