import type { DatesSetArg, DayHeaderContentArg, EventApi, EventClickArg, EventDropArg, EventSourceFuncArg, EventInput } from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import ukLocale from '@fullcalendar/core/locales/uk';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, { type DateClickArg } from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { appointments } from '../api';
import { STATUS_NAMES, type Appointment, type HoursItem, type StaffException, type StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { describeEventElement } from '../lib/appointmentActions';
import { droppedStart, STATUS_BORDER, STATUS_COLOURS, toCalendarEvents } from '../lib/appointments';
import { dayNote, unionBusinessHours } from '../lib/calendarView';
import { exceptionShades, isClosedOn, type StaffDays } from '../lib/staffDays';
import { watchCalendarMarkup } from '../lib/calendarA11y';
import { moveAppointment } from '../lib/calendarMove';
import { useApp } from '../lib/context';
import { colourOf, filterByStaff, toggleStaff } from '../lib/staff';
import { showError } from '../lib/notify';
import { toApiMinute, toIsoDate, todayInZone, wallClockNow } from '../lib/time';
import { renderEventContent, renderNarrowEventContent } from './CalendarEventContent';
import StaffDayColumns from './StaffDayColumns';
import StaffDot from './StaffDot';

interface Props {
  /** Changes whenever the appointments should be fetched again. */
  reloadKey: number;
  /** Every staff member (hidden ones too): colours, the filter and the day columns. */
  staff: StaffMember[];
  /** Each staff member's weekly hours (by id), once loaded: the shaded off-hours and closed days. */
  hours: ReadonlyMap<number, HoursItem[]> | null;
  /** Each staff member's dated exceptions (by id), once loaded: shaded over the weekly hours. */
  exceptions: ReadonlyMap<number, StaffException[]> | null;
  onOpen: (a: Appointment) => void;
  onChanged: () => void;
  /** An empty time was clicked or selected: book there (with that staff member in their column). */
  onBook: (at: BookAt) => void;
}

/** Where a booking made from the calendar goes: "YYYY-MM-DDTHH:MM" (or a date alone) and, from a staff column, who. */
export interface BookAt {
  start: string;
  staffId?: number;
}

type Mode = 'calendar' | 'staff';

const SLOT_LABEL = { hour: '2-digit', minute: '2-digit', hour12: false } as const;
/** A phone's time axis: "08" instead of "08:00", for wider day columns. */
const NARROW_SLOT_LABEL = { hour: '2-digit', hour12: false } as const;
const PLUGINS = [dayGridPlugin, timeGridPlugin, interactionPlugin, listPlugin];
const HEADER = { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay,listWeek' };

/**
 * The calendar runs in UTC and is fed the API's wall-clock times as floating UTC times (see
 * lib/time.ts), so the business's local times show as they are in any browser zone; "now" is the
 * business zone's wall time, made floating the same way.
 *
 * With more than one staff member the events take their staff member's colour (the status is the
 * coloured bar on the left, with a legend), a filter shows some staff members only, and a second
 * mode shows one day with a column per staff member.
 */
export default function AppointmentCalendar({ reloadKey, staff, hours, exceptions, onOpen, onChanged, onBook }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const calendarRef = useRef<FullCalendar>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  useEffect(() => (wrapRef.current ? watchCalendarMarkup(wrapRef.current) : undefined), []);
  const [showCancelled, setShowCancelled] = useState(false);
  const [narrow] = useState(() => typeof window !== 'undefined' && window.matchMedia('(max-width: 700px)').matches);
  const [selected, setSelected] = useState<ReadonlySet<number> | null>(null);
  const [mode, setMode] = useState<Mode>('calendar');
  // Where the calendar was (view and date), to come back to it from the day columns and to start them there.
  const [view, setView] = useState(narrow ? 'timeGridDay' : 'timeGridWeek');
  const [day, setDay] = useState(() => todayInZone(timeZone));
  // What the calendar opens on (read once per mount: changing it must not move a shown calendar).
  const [opening, setOpening] = useState({ view, day });
  const switchMode = (next: Mode) => {
    if (next === 'calendar' && mode !== 'calendar') setOpening({ view, day });
    setMode(next);
  };

  const manyStaff = staff.length > 1;
  const staffColours = useMemo(() => new Map(staff.map((s) => [s.id, colourOf(s)])), [staff]);
  const allIds = useMemo(() => staff.map((s) => s.id), [staff]);
  // A filter naming someone who is gone is no filter.
  const filter = manyStaff && selected && [...selected].some((id) => allIds.includes(id)) ? selected : null;
  // Whose working hours the calendar shades: those shown who take bookings.
  const shownDays = useMemo((): StaffDays[] | null => {
    if (!hours) return null;
    const shown = staff.filter((s) => !s.hidden && (filter === null || filter.has(s.id)));
    return shown.map((s) => ({ weekly: hours.get(s.id), exceptions: exceptions?.get(s.id) }));
  }, [hours, exceptions, staff, filter]);
  const businessHours = useMemo(() => (shownDays ? unionBusinessHours(shownDays.map((d) => d.weekly)) : false), [shownDays]);
  const closedOn = useCallback((date: string) => shownDays !== null && isClosedOn(date, shownDays), [shownDays]);
  // The dated exceptions, shaded over the weekly hours (which FullCalendar repeats by weekday): a
  // day off or a vacation greyed with its note, the hours not worked on a date of other hours.
  const shadeSource = useCallback(
    (info: EventSourceFuncArg, success: (events: EventInput[]) => void) => {
      if (!shownDays || !exceptions) return success([]);
      const from = toIsoDate(info.start);
      const to = toIsoDate(new Date(info.end.getTime() - 1));
      const labels = { day_off: t('staff.exception.day_off'), vacation: t('staff.exception.vacation') };
      success(
        exceptionShades(from, to, shownDays, labels).map((s) => ({
          start: s.start,
          end: s.end,
          display: 'background',
          title: s.label,
          classNames: ['exc-shade', `exc-shade-${s.kind}`],
        })),
      );
    },
    [shownDays, exceptions, t],
  );
  // The dates of the bookings in view (for "no bookings" on an empty day).
  const [eventDates, setEventDates] = useState<readonly string[] | null>(null);
  const onEventsSet = useCallback((events: EventApi[]) => {
    const dates = events.flatMap((e) => (e.start && e.extendedProps.appointment ? [toIsoDate(e.start)] : []));
    // Only a real change re-renders (FullCalendar calls this after every render of its events).
    setEventDates((old) => (old !== null && old.join() === dates.join() ? old : dates));
  }, []);
  // Options given as objects or functions keep their identity between renders, so that FullCalendar
  // does not rebuild its views on every render of this component.
  const views = useMemo(() => ({ listWeek: { buttonText: t('home.listView') } }), [t, lang]);
  const moreLinkContent = useMemo(() => (narrow ? (arg: { num: number }) => `+${arg.num}` : undefined), [narrow]);
  const moreLinkHint = useCallback((n: number) => t('home.moreEvents', { n }), [t, lang]);
  const dayCellClassNames = useCallback(
    (arg: { date: Date; view: { type: string } }) => (arg.view.type === 'dayGridMonth' && closedOn(toIsoDate(arg.date)) ? ['day-closed'] : []),
    [closedOn],
  );

  const fetchEvents = useCallback(
    (info: EventSourceFuncArg, success: (events: EventInput[]) => void, failure: (err: Error) => void) => {
      const from = toIsoDate(info.start);
      const to = toIsoDate(new Date(info.end.getTime() - 1)); // the API's `to` is inclusive
      appointments
        .listAll({ from, to })
        .then((items) =>
          success(toCalendarEvents(filterByStaff(items, filter), { showCancelled, ...(manyStaff ? { staffColours } : {}) })),
        )
        .catch((err: unknown) => {
          failure(err instanceof Error ? err : new Error(String(err)));
          void showError(err, t('home.calendarError'));
        });
    },
    [showCancelled, filter, manyStaff, staffColours, t],
  );

  const eventSources = useMemo(() => [fetchEvents, shadeSource], [fetchEvents, shadeSource]);

  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    calendarRef.current?.getApi().refetchEvents();
  }, [reloadKey]);

  const onEventClick = (info: EventClickArg) => {
    info.jsEvent.preventDefault();
    const a = info.event.extendedProps.appointment as Appointment | undefined;
    if (a) onOpen(a);
  };

  const onEventDrop = async (info: EventDropArg) => {
    const a = info.event.extendedProps.appointment as Appointment | undefined;
    if (!a) return info.revert();
    if (await moveAppointment({ appointment: a, start: droppedStart(info.event.start), revert: info.revert }, lang, timeZone)) onChanged();
  };

  const onDatesSet = (info: DatesSetArg) => {
    setView(info.view.type);
    // The day the view is about: today when it is in view, else the view's first day.
    const today = todayInZone(timeZone);
    const start = toIsoDate(info.view.currentStart);
    const end = toIsoDate(new Date(info.view.currentEnd.getTime() - 1));
    setDay(today >= start && today <= end ? today : start);
  };

  /** An empty time clicked or tapped: a new booking there. A month cell gives its date only. */
  const onDateClick = (info: DateClickArg) => {
    onBook({ start: info.allDay ? toIsoDate(info.date) : toApiMinute(info.date) });
  };

  /** Week view: the date on two lines on a phone (weekday, day) so that headers never run together; a closed day says so. */
  const dayHeader = useCallback((arg: DayHeaderContentArg) => {
    if (arg.view.type !== 'timeGridWeek') return true;
    const date = toIsoDate(arg.date);
    const closed = closedOn(date);
    if (!narrow) {
      return (
        <span className="day-head">
          {arg.text}
          {closed && <span className="day-closed-mark">{t('home.closedShort')}</span>}
        </span>
      );
    }
    const weekday = new Intl.DateTimeFormat(lang === 'uk' ? 'uk-UA' : 'en-GB', { weekday: 'short', timeZone: 'UTC' }).format(arg.date);
    return (
      <span className={`day-head day-head-narrow${closed ? ' is-closed' : ''}`} title={closed ? t('home.closedDay') : undefined}>
        <span className="day-head-wd">{weekday}</span>
        <span className="day-head-d">{arg.date.getUTCDate()}</span>
      </span>
    );
  }, [closedOn, narrow, lang, t]);

  const dayView = view === 'timeGridDay';
  const note = dayView && eventDates !== null ? dayNote(closedOn(day), eventDates.filter((d) => d === day).length) : null;

  return (
    <div className={`calendar-wrap${narrow ? ' narrow-week' : ''}`} ref={wrapRef}>
      <div className="toolbar calendar-toolbar">
        {manyStaff && (
          <div className="btn-group mode-switch" role="group" aria-label={t('home.viewSwitch')}>
            <button type="button" className="btn" aria-pressed={mode === 'calendar'} onClick={() => switchMode('calendar')}>
              {t('home.viewCalendar')}
            </button>
            <button type="button" className="btn btn-by-staff" aria-pressed={mode === 'staff'} onClick={() => switchMode('staff')}>
              {t('home.viewByStaff')}
            </button>
          </div>
        )}
        <label className="check">
          <input type="checkbox" checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />
          <span>{t('home.showCancelled')}</span>
        </label>
      </div>
      {manyStaff && (
        <div className="staff-filter" role="group" aria-label={t('home.staffFilter')}>
          {staff.map((s) => {
            const on = filter === null || filter.has(s.id);
            return (
              <button
                key={s.id}
                type="button"
                className={`staff-chip${on ? ' on' : ''}`}
                aria-pressed={on}
                title={t('home.staffToggle', { name: s.name })}
                onClick={() => setSelected(toggleStaff(filter, s.id, allIds))}
              >
                <StaffDot color={s.color} />
                {s.name}
              </button>
            );
          })}
        </div>
      )}
      {!(mode === 'staff' && manyStaff) && (
        <p className="status-legend">
          <span className="muted small">{t(manyStaff ? 'home.statusLegend' : 'home.statusLegendOne')}</span>
          {STATUS_NAMES.filter((s) => showCancelled || s !== 'cancelled').map((s) => (
            <span key={s} className="status-key" data-status={s}>
              <span
                className={manyStaff ? 'status-bar' : 'status-swatch'}
                style={manyStaff ? { backgroundColor: STATUS_BORDER[s] } : { backgroundColor: STATUS_COLOURS[s].background, borderColor: STATUS_COLOURS[s].border }}
                aria-hidden="true"
              />
              {t(`status.${s}`)}
            </span>
          ))}
        </p>
      )}
      {mode === 'staff' && manyStaff && (
        <p className="status-legend">
          <span className="muted small">{t('home.statusLegend')}</span>
          {STATUS_NAMES.filter((s) => showCancelled || s !== 'cancelled').map((s) => (
            <span key={s} className="status-key" data-status={s}>
              <span className="status-bar" style={{ backgroundColor: STATUS_BORDER[s] }} aria-hidden="true" />
              {t(`status.${s}`)}
            </span>
          ))}
        </p>
      )}
      {note && mode === 'calendar' && (
        <p className={`day-note day-note-${note}`} role="status">
          {t(note === 'closed' ? 'home.closedDay' : 'home.noBookingsDay')}
        </p>
      )}
      {mode === 'staff' && manyStaff ? (
        <StaffDayColumns
          date={day}
          onDateChange={setDay}
          staff={staff}
          selected={filter}
          showCancelled={showCancelled}
          staffColours={staffColours}
          hours={hours}
          exceptions={exceptions}
          reloadKey={reloadKey}
          onOpen={onOpen}
          onChanged={onChanged}
          onBook={onBook}
        />
      ) : (
        <FullCalendar
          ref={calendarRef}
          plugins={PLUGINS}
          initialView={opening.view}
          initialDate={opening.day}
          headerToolbar={HEADER}
          locales={[ukLocale, enGbLocale]}
          locale={lang === 'uk' ? 'uk' : 'en-gb'}
          firstDay={1}
          timeZone="UTC"
          now={() => wallClockNow(timeZone)}
          nowIndicator
          allDaySlot={false}
          scrollTime="08:00:00"
          slotDuration="00:30:00"
          contentHeight={narrow ? 520 : 640}
          expandRows
          dayMaxEvents
          moreLinkContent={moreLinkContent}
          moreLinkHint={moreLinkHint}
          views={views}
          noEventsContent={t('home.noBookingsWeek')}
          businessHours={businessHours}
          dayCellClassNames={dayCellClassNames}
          dayHeaderContent={dayHeader}
          eventContent={narrow ? renderNarrowEventContent : renderEventContent}
          // On a phone's week view bookings at the same time sit side by side, never over each other.
          slotEventOverlap={!narrow}
          eventsSet={onEventsSet}
          dateClick={onDateClick}
          editable
          eventStartEditable
          eventDurationEditable={false}
          eventResizableFromStart={false}
          eventInteractive
          eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
          slotLabelFormat={narrow ? NARROW_SLOT_LABEL : SLOT_LABEL}
          eventSources={eventSources}
          eventClick={onEventClick}
          eventDrop={(info) => void onEventDrop(info)}
          datesSet={onDatesSet}
          eventDidMount={describeEventElement}
        />
      )}
    </div>
  );
}
