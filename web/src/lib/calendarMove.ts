// Moving a booking by drag and drop, shared by the calendar and the day columns per staff member:
// ask first, send the new start (and staff member), report; on a "no" or a refusal the event goes
// back where it was and the server's reason is shown.
import { appointments } from '../api';
import type { Appointment } from '../api/types';
import { t } from '../i18n';
import { confirmDialog, showError, toastSuccess } from './notify';
import { formatApiTime, type Lang } from './time';

export interface MoveRequest {
  appointment: Appointment;
  /** The new start, "YYYY-MM-DDTHH:MM" (null: the drop could not be read; the event goes back). */
  start: string | null;
  /** The new staff member, when the booking was dropped into another one's column. */
  staff?: { id: number; name: string } | null;
  /** Puts the event back where it was. */
  revert: () => void;
}

/** Resolves true when the server accepted the move. */
export async function moveAppointment(req: MoveRequest, lang: Lang, timeZone: string): Promise<boolean> {
  const { appointment: a, start, revert } = req;
  const staff = req.staff && req.staff.id !== a.staff_id ? req.staff : null;
  if (!start) {
    revert();
    return false;
  }
  const ok = await confirmDialog(
    staff
      ? {
          title: t('appt.reassignTitle'),
          text: t('appt.reassignText', {
            client: a.title,
            service: a.service,
            from: a.staff,
            to: staff.name,
            when: formatApiTime(start, lang, timeZone),
          }),
          confirmText: t('appt.reassign'),
        }
      : {
          title: t('appt.moveTitle'),
          text: t('appt.moveText', {
            client: a.title,
            service: a.service,
            from: formatApiTime(a.start, lang, timeZone),
            to: formatApiTime(start, lang, timeZone),
          }),
          confirmText: t('appt.move'),
        },
  );
  if (!ok) {
    revert();
    return false;
  }
  try {
    await appointments.update(a.id, staff ? { start, staff_id: staff.id } : { start });
    toastSuccess(staff ? t('appt.reassigned', { name: staff.name }) : t('appt.moved'));
    return true;
  } catch (err) {
    revert();
    await showError(err);
    return false;
  }
}
