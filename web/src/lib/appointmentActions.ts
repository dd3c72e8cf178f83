// The appointment's details dialog (SweetAlert2) and the status actions behind its buttons,
// shared by the calendar and the table.
import Swal from 'sweetalert2';
import { appointments } from '../api';
import type { Appointment } from '../api/types';
import { t, type MessageKey } from '../i18n';
import { allowedActions, statusOf, type ActionName } from './appointments';
import { formatPrice } from './format';
import { confirmDialog, promptText, runAction } from './notify';
import { formatApiTime, formatRange, wallClockNow, type Lang } from './time';

export const ACTION_LABELS: Record<ActionName, MessageKey> = {
  confirm: 'appt.confirm',
  edit: 'appt.edit',
  cancel: 'appt.cancel',
  complete: 'appt.complete',
  no_show: 'appt.noShow',
};

/**
 * Runs a status action (asking first where it matters). Resolves true when the appointment changed.
 * `edit` is not handled here: it opens the React form.
 */
export async function performStatusAction(a: Appointment, action: Exclude<ActionName, 'edit'>): Promise<boolean> {
  switch (action) {
    case 'confirm': {
      const r = await runAction(() => appointments.action(a.id, 'confirm'), t('appt.confirmedToast'));
      return r !== null;
    }
    case 'cancel': {
      const reason = await promptText({
        title: t('appt.cancelTitle'),
        text: t('appt.cancelText'),
        label: t('appt.cancelReasonLabel'),
        confirmText: t('appt.cancelConfirm'),
        cancelText: t('appt.keep'),
        danger: true,
      });
      if (reason === null) return false;
      const r = await runAction(() => appointments.action(a.id, 'cancel', reason.trim() || undefined), t('appt.cancelledToast'));
      return r !== null;
    }
    case 'complete':
    case 'no_show': {
      const ok = await confirmDialog({
        title: t(action === 'complete' ? 'appt.completeTitle' : 'appt.noShowTitle'),
        text: `${a.title}, ${a.service}`,
      });
      if (!ok) return false;
      const r = await runAction(() => appointments.action(a.id, action), t(action === 'complete' ? 'appt.completedToast' : 'appt.noShowToast'));
      return r !== null;
    }
  }
}

/** An element with optional class and text; text always goes in as text, never as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function row(label: MessageKey, value: string | Node | null | undefined): HTMLTableRowElement | null {
  if (value === null || value === undefined || value === '') return null;
  const tr = el('tr');
  const th = el('th', undefined, t(label));
  th.scope = 'row';
  const td = el('td');
  td.append(value);
  tr.append(th, td);
  return tr;
}

/**
 * The details table and the action buttons, built as DOM nodes: every value (the client's name, notes,
 * the cancel reason, anything a Telegram user could have typed) is set as text, so nothing in it can
 * become markup.
 */
export function detailsContent(a: Appointment, lang: Lang, timeZone: string): HTMLElement {
  const status = statusOf(a);
  let phone: HTMLAnchorElement | null = null;
  if (a.phone) {
    phone = el('a', undefined, a.phone);
    phone.href = `tel:${a.phone}`;
  }
  const rows = [
    row('appt.client', a.title),
    row('appt.phone', phone),
    row('appt.service', a.service),
    row('appt.staff', a.staff),
    row('appt.when', formatRange(a.start, a.end, lang, timeZone)),
    row('appt.status', el('span', `badge badge-${status}`, t(`status.${status}`))),
    row('appt.price', a.price === null || a.price === undefined ? null : formatPrice(a.price, lang)),
    row('appt.notes', a.notes),
    status === 'cancelled' && a.cancelled_by ? row('appt.cancelledByLabel', t('appt.cancelledBy', { who: t(`cancelledBy.${a.cancelled_by}`) })) : null,
    row('appt.cancelReason', a.cancel_reason),
    row('appt.source', a.source ? t(`source.${a.source}`) : null),
    row('appt.created', formatApiTime(a.created_at, lang, timeZone)),
  ].filter((r): r is HTMLTableRowElement => r !== null);
  const root = el('div');
  const table = el('table', 'details');
  const body = el('tbody');
  body.append(...rows);
  table.append(body);
  root.append(table);
  const actions = allowedActions(a, wallClockNow(timeZone));
  if (actions.length) {
    const box = el('div', 'details-actions');
    for (const action of actions) {
      const btn = el('button', `btn btn-action-${action}`, t(ACTION_LABELS[action]));
      btn.type = 'button';
      btn.dataset.action = action;
      box.append(btn);
    }
    root.append(box);
  }
  return root;
}

export interface DialogHandlers {
  lang: Lang;
  timeZone: string;
  onEdit: (a: Appointment) => void;
  onChanged: () => void;
}

/** Opens the details dialog; its buttons run the actions once it has closed (and given focus back). */
export function openAppointmentDialog(a: Appointment, h: DialogHandlers): void {
  let chosen: ActionName | null = null;
  void Swal.fire({
    titleText: t('appt.details', { id: a.id }),
    html: detailsContent(a, h.lang, h.timeZone), // DOM nodes with text only, not an HTML string
    showConfirmButton: false,
    showCloseButton: true,
    closeButtonAriaLabel: t('common.close'),
    customClass: { popup: 'appt-popup' },
    didOpen: (popup) => {
      popup.querySelectorAll<HTMLButtonElement>('button[data-action]').forEach((btn) => {
        btn.addEventListener('click', () => {
          chosen = btn.dataset.action as ActionName;
          Swal.close();
        });
      });
    },
    didClose: () => {
      const action = chosen;
      if (action === null) return;
      if (action === 'edit') h.onEdit(a);
      else void performStatusAction(a, action).then((changed) => changed && h.onChanged());
    },
  });
}

/** The hover text of a calendar event: when, who, what, with whom, and the status (also when colours are the staff's). */
export function eventTooltip(a: Appointment): string {
  const when = `${a.start.slice(11, 16)}–${a.end.slice(11, 16)}`;
  return [when, a.title, a.service, a.staff, t(`status.${statusOf(a)}`)].filter(Boolean).join(' · ');
}

/** FullCalendar's `eventDidMount`: puts the hover text on the event's element. */
export function describeEventElement(info: { el: HTMLElement; event: { extendedProps: Record<string, unknown> } }): void {
  const a = info.event.extendedProps.appointment as Appointment | undefined;
  if (a) info.el.title = eventTooltip(a);
}
