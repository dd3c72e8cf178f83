import type { EventClickArg, EventDropArg } from '@fullcalendar/core';
import interactionPlugin, { type DateClickArg, type EventDragStartArg, type EventDragStopArg } from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useEffect, useMemo, useRef } from 'react';
import { appointments as appointmentsApi } from '../api';
import type { Appointment, HoursItem, StaffException, StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { describeEventElement } from '../lib/appointmentActions';
import { droppedStart, isActive, toCalendarEvents } from '../lib/appointments';
import { dayNote } from '../lib/calendarView';
import { businessHoursOn, exceptionNoteOn, exceptionShades, isClosedOn, type StaffDays } from '../lib/staffDays';
import { watchCalendarMarkup } from '../lib/calendarA11y';
import { moveAppointment } from '../lib/calendarMove';
import { useApp } from '../lib/context';
import { dayTimeRange, minutesToTime, reassignedStart, staffColumns } from '../lib/staff';
import { addDays, capitalizeFirst, DAY_HEADING, formatApiTime, toApiMinute, todayInZone, wallClockNow } from '../lib/time';
import type { BookAt } from './AppointmentCalendar';
import { renderEventContent } from './CalendarEventContent';
import { useLoad } from '../lib/useLoad';
import StaffDot from './StaffDot';
import DateInput from './DateInput';

interface Props {
  /** The day shown, YYYY-MM-DD (business time). */
  date: string;
  onDateChange: (date: string) => void;
  staff: readonly StaffMember[];
  /** The staff filter (null: everyone). */
  selected: ReadonlySet<number> | null;
  showCancelled: boolean;
  staffColours: ReadonlyMap<number, string>;
  /** Each staff member's weekly hours (by id), once loaded: their off-hours and breaks are shaded. */
  hours: ReadonlyMap<number, HoursItem[]> | null;
  /** Each staff member's dated exceptions (by id), once loaded: that date's hours replace the weekly ones. */
  exceptions: ReadonlyMap<number, StaffException[]> | null;
  reloadKey: number;
  onOpen: (a: Appointment) => void;
  onChanged: () => void;
  /** An empty time in a column was clicked: book it with that staff member. */
  onBook: (at: BookAt) => void;
}

const PLUGINS = [timeGridPlugin, interactionPlugin];

interface ColumnPoint {
  staffId: number;
  /** The time of day under the point, in minutes. */
  minutes: number;
}

/** The viewport point of a mouse or touch event. */
function pointOf(ev: MouseEvent | TouchEvent): { x: number; y: number } | null {
  if ('changedTouches' in ev) {
    const touch = ev.changedTouches[0];
    return touch ? { x: touch.clientX, y: touch.clientY } : null;
  }
  return { x: ev.clientX, y: ev.clientY };
}

/** Which staff member's column and which time of day lie under a viewport point, read from the grid's rows. */
function columnPointAt(root: HTMLElement | null, ev: MouseEvent | TouchEvent): ColumnPoint | null {
  const p = pointOf(ev);
  if (!root || !p) return null;
  for (const col of root.querySelectorAll<HTMLElement>('.staff-col[data-staff-id]')) {
    const r = col.getBoundingClientRect();
    if (p.x < r.left || p.x >= r.right) continue;
    for (const lane of col.querySelectorAll<HTMLElement>('td.fc-timegrid-slot-lane[data-time]')) {
      const b = lane.getBoundingClientRect();
      if (p.y < b.top || p.y >= b.bottom || b.height <= 0) continue;
      const [h = 0, m = 0] = (lane.dataset.time ?? '').split(':').map(Number);
      return { staffId: Number(col.dataset.staffId), minutes: h * 60 + m + ((p.y - b.top) / b.height) * SLOT_MINUTES };
    }
  }
  return null;
}

const SLOT_MINUTES = 30;
const TIME_FORMAT = { hour: '2-digit', minute: '2-digit', hour12: false } as const;

/**
 * One day, one column per staff member side by side: a timeGrid day calendar per column (the free
 * FullCalendar packages; no resource plugin), all of one height in one scrolling box so that they
 * share the first column's time axis. Dragging a booking into another column gives it to that staff
 * member (read from the drop point, see dragStop; the server decides).
 */
export default function StaffDayColumns(props: Props) {
  const { date, onDateChange, staff, selected, showCancelled, staffColours, hours, exceptions, reloadKey, onOpen, onChanged, onBook } = props;
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const wrapRef = useRef<HTMLDivElement>(null);
  useEffect(() => (wrapRef.current ? watchCalendarMarkup(wrapRef.current) : undefined), []);

  // Where the dragged booking was grabbed (column and time under the pointer).
  const grabbed = useRef<ColumnPoint | null>(null);
  const { data: items, loading, reload } = useLoad(() => appointmentsApi.listAll({ from: date, to: date }), [date, reloadKey]);
  const columns = useMemo(() => staffColumns(items ?? [], staff, { selected, showCancelled }), [items, staff, selected, showCancelled]);
  // One events array per column, made again only when the data changes (a new array resets the
  // calendar's events, which must not happen in the middle of a drag).
  const daysOf = (staffId: number): StaffDays => ({ weekly: hours?.get(staffId), exceptions: exceptions?.get(staffId) });
  const labels = { day_off: t('staff.exception.day_off'), vacation: t('staff.exception.vacation') };
  // A day off or a vacation: its note (or its kind) written over the column, which its hours shade through.
  const dayOffLabels = columns.map((c) =>
    hours === null ? [] : exceptionShades(date, date, [daysOf(c.staffId)], labels).filter((s) => s.kind === 'off'),
  );
  const dayOffKey = dayOffLabels.map((l) => l.map((s) => s.label).join()).join('|');
  const events = useMemo(
    () =>
      columns.map((c, i) => [
        ...toCalendarEvents(c.appointments, { showCancelled, staffColours }),
        ...(dayOffLabels[i] ?? []).map((s) => ({ start: s.start, end: s.end, display: 'background', title: s.label, classNames: ['exc-shade', 'exc-shade-label'] })),
      ]),
    // dayOffKey stands for dayOffLabels (a new array each render): made again only when the words change
    [columns, showCancelled, staffColours, dayOffKey],
  );
  const range = useMemo(() => dayTimeRange(columns.flatMap((c) => c.appointments)), [columns]);
  const title = capitalizeFirst(formatApiTime(date, lang, timeZone, DAY_HEADING));
  const today = todayInZone(timeZone);
  const closed = (staffId: number) => hours !== null && isClosedOn(date, [daysOf(staffId)]);
  const exceptionMark = (staffId: number) => {
    const e = hours === null ? null : exceptionNoteOn(date, daysOf(staffId));
    return e && { text: t(e.kind === 'hours' ? 'home.otherHoursShort' : `staff.exception.${e.kind}`), note: e.note };
  };
  const note =
    items === null || columns.length === 0
      ? null
      : dayNote(hours !== null && isClosedOn(date, columns.map((c) => daysOf(c.staffId))), columns.reduce((n, c) => n + c.appointments.filter(isActive).length, 0));

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

  const dragStart = (info: EventDragStartArg) => {
    grabbed.current = columnPointAt(wrapRef.current, info.jsEvent);
  };

  /**
   * A booking dropped on another staff member's column: FullCalendar sees no place for it in its own
   * calendar and puts it back; the drop point says whose column and what time, and the booking is
   * given to them there (after asking; the server re-checks). The same move as inside a column: by
   * whole half hours between the time where it was grabbed and where it was dropped.
   */
  const dragStop = (info: EventDragStopArg) => {
    const a = info.event.extendedProps.appointment as Appointment | undefined;
    const from = grabbed.current;
    grabbed.current = null;
    const to = columnPointAt(wrapRef.current, info.jsEvent);
    if (!a || !from || !to || to.staffId === a.staff_id) return; // within its own column: eventDrop's case
    const target = columns.find((c) => c.staffId === to.staffId);
    if (!target) return;
    const startMinutes = Number(a.start.slice(11, 13)) * 60 + Number(a.start.slice(14, 16));
    const start = `${a.start.slice(0, 10)}T${minutesToTime(reassignedStart(startMinutes, from.minutes, to.minutes, SLOT_MINUTES))}`;
    void moveAppointment({ appointment: a, start, staff: { id: target.staffId, name: target.name }, revert: reload }, lang, timeZone).then(
      (moved) => moved && onChanged(),
    );
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
          <DateInput name="staff_day" value={date} onChange={(v) => v && onDateChange(v)} />
        </label>
      </div>
      <p className="hint">{t('home.byStaffHint')}</p>
      {note && (
        <p className={`day-note day-note-${note}`} role="status">
          {t(note === 'closed' ? 'home.closedDay' : 'home.noBookingsDay')}
        </p>
      )}
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
                  {(() => {
                    const mark = exceptionMark(col.staffId);
                    if (mark) {
                      return (
                        <span className="day-closed-mark exc-mark" title={mark.note || undefined}>
                          {mark.text}
                        </span>
                      );
                    }
                    return closed(col.staffId) && <span className="day-closed-mark">{t('home.closedShort')}</span>;
                  })()}
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
                  eventStartEditable
                  eventDurationEditable={false}
                  eventInteractive
                  eventTimeFormat={TIME_FORMAT}
                  slotLabelFormat={TIME_FORMAT}
                  events={events[i]}
                  businessHours={hours ? businessHoursOn(date, daysOf(col.staffId)) : false}
                  eventContent={renderEventContent}
                  dateClick={(info: DateClickArg) => onBook({ start: toApiMinute(info.date), staffId: col.staffId })}
                  eventClick={open}
                  eventDidMount={describeEventElement}
                  eventDrop={(info) => void drop(info)}
                  eventDragStart={dragStart}
                  eventDragStop={dragStop}
                />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
