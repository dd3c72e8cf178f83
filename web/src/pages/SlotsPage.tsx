import { useMemo, useState } from 'react';
import { ApiError, slots as slotsApi } from '../api';
import type { Slot } from '../api/types';
import AddSlotForm from '../components/AddSlotForm';
import GenerateSlotsForm from '../components/GenerateSlotsForm';
import StaffDot from '../components/StaffDot';
import StaffSelect from '../components/StaffSelect';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { useLiveRefresh } from '../lib/live';
import { confirmDialog, describeError, runAction, showError, toastSuccess } from '../lib/notify';
import { groupSlotsByDay, isTaken } from '../lib/slots';
import { staffById } from '../lib/staff';
import { useStaff } from '../lib/useStaff';
import { useLoad } from '../lib/useLoad';
import { addDays, capitalizeFirst, DAY_HEADING, formatApiTime, todayInZone } from '../lib/time';
import DateInput from '../components/DateInput';

export default function SlotsPage() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const today = todayInZone(timeZone);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 13));
  const [staffId, setStaffId] = useState<number | null>(null);
  const { staff } = useStaff();
  const active = useMemo(() => staff.filter((s) => !s.hidden), [staff]);
  const byId = useMemo(() => staffById(staff), [staff]);
  const manyStaff = staff.length > 1;
  const { data: loaded, failed, reload: load } = useLoad(
    () => slotsApi.listAll({ from, to, order: 'asc', ...(staffId !== null ? { staff_id: staffId } : {}) }),
    [from, to, staffId],
  );
  // A failed first load shows the empty list (and the error), not "Loading…" for ever.
  const items: Slot[] | null = loaded ?? (failed ? [] : null);
  useLiveRefresh(['slot', 'appointment', 'staff'], load);

  const days = useMemo(() => groupSlotsByDay(items ?? []), [items]);

  const remove = async (s: Slot) => {
    const when = `${formatApiTime(s.available_date, lang, timeZone, DAY_HEADING)}, ${s.available_time}`;
    const reserved = s.is_appointments === 1;
    const ok = await confirmDialog(
      reserved
        ? {
            title: t('slots.deleteReservedTitle'),
            text: t('slots.deleteReservedText', { when }),
            confirmText: t('slots.deleteForce'),
            danger: true,
          }
        : { title: t('slots.deleteTitle', { when }), confirmText: t('common.delete'), danger: true },
    );
    if (!ok) return;
    try {
      await slotsApi.remove(s.id, reserved);
      toastSuccess(t('slots.deleted'));
      load();
    } catch (err) {
      // Booked meanwhile: the server refuses with 409; ask again, this time about the booking.
      if (err instanceof ApiError && err.status === 409 && !reserved) {
        const again = await confirmDialog({
          title: t('slots.deleteReservedTitle'),
          text: `${describeError(err)}\n\n${t('slots.deleteReservedText', { when })}`,
          confirmText: t('slots.deleteForce'),
          danger: true,
        });
        if (again) await runAction(() => slotsApi.remove(s.id, true), t('slots.deleted'));
        load();
        return;
      }
      await showError(err);
    }
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('slots.title')}</h1>
      </div>
      <div className="slots-layout">
        <div className="slots-side">
          <div className="card">
            <AddSlotForm defaultDate={today} staff={active} onSaved={load} />
          </div>
          <div className="card">
            <GenerateSlotsForm defaultDate={today} staff={active} onSaved={load} />
          </div>
        </div>
        <div className="slots-main card">
          <div className="filters">
            <label className="field">
              <span>{t('common.from')}</span>
              <DateInput value={from} onChange={(v) => v && setFrom(v)} />
            </label>
            <label className="field">
              <span>{t('common.to')}</span>
              <DateInput value={to} onChange={(v) => v && setTo(v)} />
            </label>
            {manyStaff && (
              <StaffSelect
                label={t('slots.staff')}
                staff={staff}
                value={staffId}
                onChange={setStaffId}
                emptyLabel={t('slots.allStaff')}
                name="slot_staff_filter"
              />
            )}
          </div>
          {items === null && (
            <p className="muted" role="status">
              {t('common.loading')}
            </p>
          )}
          {items !== null && days.length === 0 && <p className="empty">{t('slots.empty')}</p>}
          {days.map((day) => (
            <section key={day.date} className="slot-day" aria-labelledby={`day-${day.date}`}>
              <h3 id={`day-${day.date}`}>
                {capitalizeFirst(formatApiTime(day.date, lang, timeZone, DAY_HEADING))}
                <span className="muted small"> · {t('slots.count', { free: day.free, reserved: day.reserved })}</span>
              </h3>
              <ul className="slot-list">
                {day.slots.map((s) => (
                  <li key={s.id} className={`slot${isTaken(s) ? ' slot-reserved' : ''}`}>
                    <span className="slot-time">{s.available_time}</span>
                    {manyStaff && (
                      <span className="slot-staff">
                        <StaffDot color={byId.get(s.staff_id)?.color ?? ''} />
                        {s.staff || byId.get(s.staff_id)?.name}
                      </span>
                    )}
                    {s.is_appointments === 1 ? (
                      <span className="slot-mark">{t('slots.reserved')}</span>
                    ) : s.covered ? (
                      <span className="slot-mark" title={t('slots.coveredHint')}>
                        {t('slots.covered')}
                      </span>
                    ) : (
                      <span className="sr-only">{t('slots.free')}</span>
                    )}
                    <button
                      type="button"
                      className="slot-delete"
                      onClick={() => void remove(s)}
                      aria-label={t('slots.deleteSlot', {
                        time: `${s.available_date} ${s.available_time}${manyStaff ? `, ${s.staff}` : ''}`,
                      })}
                      title={t('common.delete')}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </div>
    </section>
  );
}
