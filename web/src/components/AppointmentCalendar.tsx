import type { DatesSetArg, EventClickArg, EventDropArg, EventSourceFuncArg, EventInput } from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import ukLocale from '@fullcalendar/core/locales/uk';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { appointments } from '../api';
import { STATUS_NAMES, type Appointment, type StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { describeEventElement } from '../lib/appointmentActions';
import { droppedStart, STATUS_BORDER, toCalendarEvents } from '../lib/appointments';
import { watchCalendarMarkup } from '../lib/calendarA11y';
import { moveAppointment } from '../lib/calendarMove';
import { useApp } from '../lib/context';
import { colourOf, filterByStaff, toggleStaff } from '../lib/staff';
import { showError } from '../lib/notify';
import { toIsoDate, todayInZone, wallClockNow } from '../lib/time';
import StaffDayColumns from './StaffDayColumns';
import StaffDot from './StaffDot';

interface Props {
  /** Changes whenever the appointments should be fetched again. */
  reloadKey: number;
  /** Every staff member (hidden ones too): colours, the filter and the day columns. */
  staff: StaffMember[];
  onOpen: (a: Appointment) => void;
  onChanged: () => void;
}

type Mode = 'calendar' | 'staff';

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
export default function AppointmentCalendar({ reloadKey, staff, onOpen, onChanged }: Props) {
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

  return (
    <div className="calendar-wrap" ref={wrapRef}>
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
      {manyStaff && (
        <p className="status-legend">
          <span className="muted small">{t('home.statusLegend')}</span>
          {STATUS_NAMES.filter((s) => showCancelled || s !== 'cancelled').map((s) => (
            <span key={s} className="status-key">
              <span className="status-bar" style={{ backgroundColor: STATUS_BORDER[s] }} aria-hidden="true" />
              {t(`status.${s}`)}
            </span>
          ))}
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
          reloadKey={reloadKey}
          onOpen={onOpen}
          onChanged={onChanged}
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
          editable
          eventStartEditable
          eventDurationEditable={false}
          eventResizableFromStart={false}
          eventInteractive
          eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
          slotLabelFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
          events={fetchEvents}
          eventClick={onEventClick}
          eventDrop={(info) => void onEventDrop(info)}
          datesSet={onDatesSet}
          eventDidMount={describeEventElement}
        />
      )}
    </div>
  );
}
