// The appointment's details dialog (SweetAlert2) and the status actions behind its buttons,
// shared by the calendar and the table.
import Swal from 'sweetalert2';
import { appointments } from '../api';
import type { Appointment } from '../api/types';
import { t, type MessageKey } from '../i18n';
import { allowedActions, statusOf, type ActionName } from './appointments';
import { confirmDialog, escapeHtml, promptText, runAction } from './notify';
import { formatApiTime, formatRange, type Lang } from './time';

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
      const r = await runAction(() => appointments.action(a.id, 'confirm'), (res) => res.message);
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
      const r = await runAction(() => appointments.action(a.id, 'cancel', reason.trim() || undefined), (res) => res.message);
      return r !== null;
    }
    case 'complete':
    case 'no_show': {
      const ok = await confirmDialog({
        title: t(action === 'complete' ? 'appt.completeTitle' : 'appt.noShowTitle'),
        text: `${a.title}, ${a.service}`,
      });
      if (!ok) return false;
      const r = await runAction(() => appointments.action(a.id, action), (res) => res.message);
      return r !== null;
    }
  }
}

function row(label: MessageKey, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return `<tr><th scope="row">${escapeHtml(t(label))}</th><td>${escapeHtml(value)}</td></tr>`;
}

/** The details table's HTML (every value escaped). */
export function detailsHtml(a: Appointment, lang: Lang, timeZone: string): string {
  const status = statusOf(a);
  const rows = [
    row('appt.client', a.title),
    a.phone
      ? `<tr><th scope="row">${escapeHtml(t('appt.phone'))}</th><td><a href="tel:${escapeHtml(a.phone)}">${escapeHtml(a.phone)}</a></td></tr>`
      : '',
    row('appt.service', a.service),
    row('appt.when', formatRange(a.start, a.end, lang, timeZone)),
    `<tr><th scope="row">${escapeHtml(t('appt.status'))}</th><td><span class="badge badge-${status}">${escapeHtml(t(`status.${status}`))}</span></td></tr>`,
    row('appt.price', a.price === null || a.price === undefined ? null : `${a.price} ${t('common.uah')}`),
    row('appt.notes', a.notes),
    status === 'cancelled' && a.cancelled_by ? row('appt.status', t('appt.cancelledBy', { who: t(`cancelledBy.${a.cancelled_by}`) })) : '',
    row('appt.cancelReason', a.cancel_reason),
    row('appt.source', a.source ? t(`source.${a.source}`) : null),
    row('appt.created', formatApiTime(a.created_at, lang, timeZone)),
  ].join('');
  const buttons = allowedActions(a)
    .map(
      (action) =>
        `<button type="button" class="btn btn-action-${action}" data-action="${action}">${escapeHtml(t(ACTION_LABELS[action]))}</button>`,
    )
    .join('');
  return `<table class="details">${rows}</table>${buttons ? `<div class="details-actions">${buttons}</div>` : ''}`;
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
    html: detailsHtml(a, h.lang, h.timeZone),
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
