// The notifications page's pure pieces: which catalogue text names a notice's kind, recipient and
// status, the status tabs, and what can be done with a notice.
import { NOTICE_KINDS, type Notice, type NoticeKind, type NoticeStatus } from '../api/types';
import type { MessageKey } from '../i18n/uk';
import { webhookRecipientId } from './integrations';

/** The tabs of the page: every notice ('') first, where the page opens; then failed (what needs the admin's attention). */
export const NOTICE_TABS = ['', 'failed', 'pending', 'sent', 'skipped'] as const;
export type NoticeTab = (typeof NOTICE_TABS)[number];
export const DEFAULT_NOTICE_TAB: NoticeTab = '';

export function isNoticeKind(kind: string): kind is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(kind);
}

/** The catalogue key naming a kind; kinds this panel does not know yet get a generic text. */
export function noticeKindKey(kind: string): MessageKey {
  return isNoticeKind(kind) ? `notices.kind.${kind}` : 'notices.kind.other';
}

export function noticeStatusKey(status: NoticeStatus): MessageKey {
  return `notices.status.${status}`;
}

export function noticeRecipientKey(recipient: Notice['recipient']): MessageKey {
  if (recipient === 'business') return 'notices.recipient.business';
  if (recipient === 'staff') return 'notices.recipient.staff';
  if (webhookRecipientId(recipient) !== null) return 'notices.recipient.webhook';
  return 'notices.recipient.client';
}

/** The catalogue key and its parameters naming a recipient (`webhook 2` → "Webhook #2"). */
export function noticeRecipientLabel(recipient: Notice['recipient']): { key: MessageKey; params?: { id: number } } {
  const id = webhookRecipientId(recipient);
  return id === null ? { key: noticeRecipientKey(recipient) } : { key: 'notices.recipient.webhook', params: { id } };
}

export function noticeTabKey(tab: NoticeTab): MessageKey {
  return tab === '' ? 'notices.tab.all' : `notices.tab.${tab}`;
}

/** Only a failed notice can be put back in line (the server answers 404 otherwise). */
export function canRetry(n: Pick<Notice, 'status'>): boolean {
  return n.status === 'failed';
}

/** The count shown on a tab: one status's total, or the sum of all for "all". */
export function tabCount(tab: NoticeTab, counts: Record<NoticeStatus, number> | null): number | null {
  if (!counts) return null;
  if (tab === '') return counts.pending + counts.sent + counts.skipped + counts.failed;
  return counts[tab];
}

/** Newest first, by when the notice was made (then by id), whatever order the page came in. */
export function newestFirst<T extends Pick<Notice, 'id' | 'created_at'>>(items: readonly T[]): T[] {
  const at = (n: T) => Date.parse(n.created_at) || 0;
  return items.slice().sort((a, b) => at(b) - at(a) || b.id - a.id);
}

/**
 * The server's reasons for a skipped notice (English, for the log) → the catalogue's explanation in
 * the owner's words with what to do; null for a reason this panel does not know (shown as it is).
 */
const REASONS: Record<string, MessageKey> = {
  'no chat to send it to (ADMIN_CHAT_ID unset)': 'notices.reason.noBusinessChat',
  'no Telegram connection': 'notices.reason.noTelegram',
  'the webhook was deleted': 'notices.reason.webhookDeleted',
  'no booking': 'notices.reason.bookingGone',
  'the booking is gone': 'notices.reason.bookingGone',
  'the booking changed since the reminder fell due': 'notices.reason.bookingChanged',
};

export function noticeReasonKey(reason: string | null | undefined): MessageKey | null {
  if (!reason) return null;
  return REASONS[reason.trim()] ?? null;
}

/** The distinct booking ids a page of notices refers to. */
export function appointmentIdsOf(items: readonly Pick<Notice, 'appointment_id'>[]): number[] {
  return [...new Set(items.flatMap((n) => (n.appointment_id === null || n.appointment_id === undefined ? [] : [n.appointment_id])))];
}
