import type { EventClickArg, EventDropArg } from '@fullcalendar/core';
import interactionPlugin, { type EventReceiveArg } from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useEffect, useMemo, useRef } from 'react';
import { appointments as appointmentsApi } from '../api';
import type { Appointment, StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { describeEventElement } from '../lib/appointmentActions';
import { droppedStart, toCalendarEvents } from '../lib/appointments';
import { watchCalendarMarkup } from '../lib/calendarA11y';
import { moveAppointment } from '../lib/calendarMove';
import { useApp } from '../lib/context';
import { dayTimeRange, staffColumns, type StaffColumn } from '../lib/staff';
import { addDays, capitalizeFirst, DAY_HEADING, formatApiTime, todayInZone, wallClockNow } from '../lib/time';
import { useLoad } from '../lib/useLoad';
import StaffDot from './StaffDot';

interface Props {
  /** The day shown, YYYY-MM-DD (business time). */
  date: string;
  onDateChange: (date: string) => void;
  staff: readonly StaffMember[];
  /** The staff filter (null: everyone). */
  selected: ReadonlySet<number> | null;
  showCancelled: boolean;
  staffColours: ReadonlyMap<number, string>;
  reloadKey: number;
  onOpen: (a: Appointment) => void;
  onChanged: () => void;
}

const PLUGINS = [timeGridPlugin, interactionPlugin];
const TIME_FORMAT = { hour: '2-digit', minute: '2-digit', hour12: false } as const;

/**
 * One day, one column per staff member side by side: a timeGrid day calendar per column (the free
 * FullCalendar packages; no resource plugin), all of one height in one scrolling box so that they
 * share the first column's time axis. Dragging a booking into another column gives it to that staff
 * member (the source calendar lets it go, the target receives it; the server decides).
 */
export default function StaffDayColumns(props: Props) {
  const { date, onDateChange, staff, selected, showCancelled, staffColours, reloadKey, onOpen, onChanged } = props;
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const wrapRef = useRef<HTMLDivElement>(null);
  useEffect(() => (wrapRef.current ? watchCalendarMarkup(wrapRef.current) : undefined), []);

  const { data: items, loading, reload } = useLoad(() => appointmentsApi.listAll({ from: date, to: date }), [date, reloadKey]);
  const columns = useMemo(() => staffColumns(items ?? [], staff, { selected, showCancelled }), [items, staff, selected, showCancelled]);
  // One events array per column, made again only when the data changes (a new array resets the
  // calendar's events, which must not happen in the middle of a drag).
  const events = useMemo(
    () => columns.map((c) => toCalendarEvents(c.appointments, { showCancelled, staffColours })),
    [columns, showCancelled, staffColours],
  );
  const range = useMemo(() => dayTimeRange(columns.flatMap((c) => c.appointments)), [columns]);
  const title = capitalizeFirst(formatApiTime(date, lang, timeZone, DAY_HEADING));
  const today = todayInZone(timeZone);

  const open = (info: EventClickArg) => {
    info.jsEvent.preventDefault();
    const a = info.event.extendedProps.appointment as Appointment | undefined;
    if (a) onOpen(a);
  };

  /** A new time in the same column. */
  const drop = async (info: EventDropArg) => {
    const a = info.event.extendedProps.appointment as Appointment | undefined;
    if (!a) return info.revert();
    if (await moveAppointment({ appointment: a, start: droppedStart(info.event.start), revert: info.revert }, lang, timeZone)) onChanged();
  };

  /** A booking dropped in from another staff member's column. */
  const receive = async (info: EventReceiveArg, column: StaffColumn) => {
    const a = info.event.extendedProps.appointment as Appointment | undefined;
    if (!a) {
      info.revert();
      reload();
      return;
    }
    const moved = await moveAppointment(
      {
        appointment: a,
        start: droppedStart(info.event.start),
        staff: { id: column.staffId, name: column.name },
        revert: info.revert,
      },
      lang,
      timeZone,
    );
    // Either way the columns are drawn again from the server's answer: the booking shows in its
    // new column, or back in its old one (which let it go when it was dragged out).
    if (moved) onChanged();
    else reload();
  };

  return (
    <div className="staff-day" ref={wrapRef}>
      <div className="staff-day-nav">
        <div className="btn-group">
          <button type="button" className="btn" onClick={() => onDateChange(addDays(date, -1))} aria-label={t('home.prevDay')}>
            <span aria-hidden="true">‹</span>
          </button>
          <button type="button" className="btn" onClick={() => onDateChange(today)} disabled={date === today}>
            {t('home.today')}
          </button>
          <button type="button" className="btn" onClick={() => onDateChange(addDays(date, 1))} aria-label={t('home.nextDay')}>
            <span aria-hidden="true">›</span>
          </button>
        </div>
        <h2 className="staff-day-title">{title}</h2>
        <label className="field staff-day-date">
          <span className="sr-only">{t('home.day')}</span>
          <input type="date" value={date} onChange={(e) => e.target.value && onDateChange(e.target.value)} />
        </label>
      </div>
      <p className="hint">{t('home.byStaffHint')}</p>
      {columns.length === 0 && items !== null ? (
        <p className="empty">{t('home.noColumns')}</p>
      ) : (
        <div className="staff-columns-scroll" aria-busy={loading} aria-label={t('home.columnsLabel', { date: title })} role="region">
          <div className="staff-columns" style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(170px, 1fr))` }}>
            {columns.map((col, i) => (
              <div key={`${col.staffId}-${date}`} className={`staff-col${i === 0 ? ' staff-col-first' : ' staff-col-rest'}`} data-staff-id={col.staffId}>
                <div className="staff-col-head">
                  <StaffDot color={col.color} />
                  <span className="staff-col-name">{col.hidden ? `${col.name} (${t('staff.hiddenMark')})` : col.name}</span>
                </div>
                <FullCalendar
                  plugins={PLUGINS}
                  initialView="timeGridDay"
                  initialDate={date}
                  headerToolbar={false}
                  dayHeaders={false}
                  allDaySlot={false}
                  timeZone="UTC"
                  now={() => wallClockNow(timeZone)}
                  nowIndicator
                  slotDuration="00:30:00"
                  slotMinTime={range.min}
                  slotMaxTime={range.max}
                  height="auto"
                  editable
                  droppable
                  eventStartEditable
                  eventDurationEditable={false}
                  eventInteractive
                  eventTimeFormat={TIME_FORMAT}
                  slotLabelFormat={TIME_FORMAT}
                  events={events[i]}
                  eventClick={open}
                  eventDidMount={describeEventElement}
                  eventDrop={(info) => void drop(info)}
                  eventReceive={(info) => void receive(info, col)}
                />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
