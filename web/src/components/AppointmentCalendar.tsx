import type { EventClickArg, EventDropArg, EventSourceFuncArg, EventInput } from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import ukLocale from '@fullcalendar/core/locales/uk';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useCallback, useEffect, useRef, useState } from 'react';
import { appointments } from '../api';
import type { Appointment } from '../api/types';
import { useI18n } from '../i18n';
import { droppedStart, toCalendarEvents } from '../lib/appointments';
import { watchCalendarMarkup } from '../lib/calendarA11y';
import { useApp } from '../lib/context';
import { confirmDialog, showError, toastSuccess } from '../lib/notify';
import { formatApiTime, toIsoDate, wallClockNow } from '../lib/time';

interface Props {
  /** Changes whenever the appointments should be fetched again. */
  reloadKey: number;
  onOpen: (a: Appointment) => void;
  onChanged: () => void;
}

const PLUGINS = [dayGridPlugin, timeGridPlugin, interactionPlugin, listPlugin];
const HEADER = { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay,listWeek' };

/**
 * The calendar runs in UTC and is fed the API's wall-clock times as floating UTC times (see
 * lib/time.ts), so the business's local times show as they are in any browser zone; "now" is the
 * business zone's wall time, made floating the same way.
 */
export default function AppointmentCalendar({ reloadKey, onOpen, onChanged }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const calendarRef = useRef<FullCalendar>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  useEffect(() => (wrapRef.current ? watchCalendarMarkup(wrapRef.current) : undefined), []);
  const [showCancelled, setShowCancelled] = useState(false);
  const [narrow] = useState(() => typeof window !== 'undefined' && window.matchMedia('(max-width: 700px)').matches);

  const fetchEvents = useCallback(
    (info: EventSourceFuncArg, success: (events: EventInput[]) => void, failure: (err: Error) => void) => {
      const from = toIsoDate(info.start);
      const to = toIsoDate(new Date(info.end.getTime() - 1)); // the API's `to` is inclusive
      appointments
        .listAll({ from, to })
        .then((items) => success(toCalendarEvents(items, { showCancelled })))
        .catch((err: unknown) => {
          failure(err instanceof Error ? err : new Error(String(err)));
          void showError(err, t('home.calendarError'));
        });
    },
    [showCancelled, t],
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
    const start = droppedStart(info.event.start);
    if (!a || !start) {
      info.revert();
      return;
    }
    const ok = await confirmDialog({
      title: t('appt.moveTitle'),
      text: t('appt.moveText', {
        client: a.title,
        service: a.service,
        from: formatApiTime(a.start, lang, timeZone),
        to: formatApiTime(start, lang, timeZone),
      }),
      confirmText: t('appt.move'),
    });
    if (!ok) {
      info.revert();
      return;
    }
    try {
      await appointments.update(a.id, { start });
      toastSuccess(t('appt.moved'));
      onChanged();
    } catch (err) {
      info.revert();
      await showError(err);
    }
  };

  return (
    <div className="calendar-wrap" ref={wrapRef}>
      <div className="toolbar">
        <label className="check">
          <input type="checkbox" checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />
          <span>{t('home.showCancelled')}</span>
        </label>
      </div>
      <FullCalendar
        ref={calendarRef}
        plugins={PLUGINS}
        initialView={narrow ? 'timeGridDay' : 'timeGridWeek'}
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
      />
    </div>
  );
}
