import { describe, expect, it } from 'vitest';
import { NOTICE_KINDS, NOTICE_STATUSES } from '../api/types';
import { translate } from '../i18n';
import { uk } from '../i18n/uk';
import {
  canRetry,
  DEFAULT_NOTICE_TAB,
  NOTICE_TABS,
  noticeKindKey,
  noticeRecipientKey,
  noticeRecipientLabel,
  noticeStatusKey,
  noticeTabKey,
  tabCount,
  appointmentIdsOf,
  newestFirst,
  noticeReasonKey,
} from './notifications';

describe('notice labels', () => {
  it('name every kind in both languages', () => {
    for (const kind of NOTICE_KINDS) {
      const key = noticeKindKey(kind);
      expect(Object.keys(uk)).toContain(key);
      expect(key).not.toBe('notices.kind.other');
    }
    expect(translate('uk', noticeKindKey('reminder'))).toBe('Нагадування');
    expect(translate('en', noticeKindKey('new_booking'))).toBe('New booking (to the business)');
  });

  it('give kinds the panel does not know a generic name', () => {
    expect(noticeKindKey('birthday')).toBe('notices.kind.other');
    expect(noticeKindKey('')).toBe('notices.kind.other');
  });

  it('name every status, recipient and tab', () => {
    for (const s of NOTICE_STATUSES) expect(Object.keys(uk)).toContain(noticeStatusKey(s));
    for (const tab of NOTICE_TABS) expect(Object.keys(uk)).toContain(noticeTabKey(tab));
    expect(translate('uk', noticeStatusKey('skipped'))).toBe('Пропущено');
    expect(translate('en', noticeStatusKey('failed'))).toBe('Failed');
    expect(translate('uk', noticeRecipientKey('client'))).toBe('Клієнт');
    expect(translate('en', noticeRecipientKey('business'))).toBe('Business');
    expect(noticeTabKey('')).toBe('notices.tab.all');
  });

  it('name webhook deliveries and their webhook', () => {
    expect(translate('uk', noticeKindKey('webhook'))).toBe('Вебхук');
    expect(noticeRecipientKey('webhook 3')).toBe('notices.recipient.webhook');
    const { key, params } = noticeRecipientLabel('webhook 3');
    expect(translate('en', key, params)).toBe('Webhook #3');
    expect(noticeRecipientLabel('client')).toEqual({ key: 'notices.recipient.client' });
    expect(noticeRecipientLabel('business')).toEqual({ key: 'notices.recipient.business' });
  });
});

describe('tabs', () => {
  it('open on every notice, the failed ones next', () => {
    expect(NOTICE_TABS[0]).toBe('');
    expect(NOTICE_TABS[1]).toBe('failed');
    expect(DEFAULT_NOTICE_TAB).toBe('');
  });

  it('count one status, or all of them', () => {
    const counts = { pending: 2, sent: 10, skipped: 1, failed: 3 };
    expect(tabCount('failed', counts)).toBe(3);
    expect(tabCount('', counts)).toBe(16);
    expect(tabCount('sent', null)).toBeNull();
  });
});

describe('canRetry', () => {
  it('only for failed notices', () => {
    expect(canRetry({ status: 'failed' })).toBe(true);
    for (const status of ['pending', 'sent', 'skipped'] as const) expect(canRetry({ status })).toBe(false);
  });
});

describe('the list', () => {
  it('is newest first', () => {
    const items = [
      { id: 1, created_at: '2026-11-30T08:00:00Z' },
      { id: 3, created_at: '2026-11-30T10:00:00Z' },
      { id: 2, created_at: '2026-11-30T10:00:00Z' },
    ];
    expect(newestFirst(items).map((n) => n.id)).toEqual([3, 2, 1]);
  });

  it('names the bookings it refers to once each', () => {
    expect(appointmentIdsOf([{ appointment_id: 5 }, { appointment_id: null }, { appointment_id: 5 }, { appointment_id: 9 }])).toEqual([5, 9]);
  });

  it('explains the server’s reasons in the owner’s words, in both languages', () => {
    const key = noticeReasonKey('no chat to send it to (ADMIN_CHAT_ID unset)');
    expect(key).toBe('notices.reason.noBusinessChat');
    expect(translate('uk', key!)).toMatch(/ADMIN_CHAT_ID/);
    expect(translate('en', key!)).not.toBe(translate('uk', key!));
    expect(noticeReasonKey('HTTP 500 from the receiver')).toBeNull();
    expect(noticeReasonKey(null)).toBeNull();
  });
});
