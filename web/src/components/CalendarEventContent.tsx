import type { EventContentArg } from '@fullcalendar/core';
import type { Appointment } from '../api/types';
import { compactEvent } from '../lib/calendarView';

/**
 * FullCalendar's `eventContent` for the time grids: the start time and the client's name on one line
 * (cut with an ellipsis, never mid-word fragments of a long line), the service below when the
 * booking is an hour or longer (shorter ones keep it for screen readers only). The full text is the
 * element's title (see describeEventElement).
 * Other views keep FullCalendar's own content.
 */
export function renderEventContent(arg: EventContentArg) {
  const a = arg.event.extendedProps.appointment as Appointment | undefined;
  if (!a || !arg.view.type.startsWith('timeGrid')) return true;
  const c = compactEvent(a);
  return (
    <div className={`ev-compact${c.short ? ' ev-short' : ''}`}>
      <div className="ev-line">
        <span className="ev-time">{c.time}</span> <span className="ev-name">{c.name}</span>
      </div>
      {c.detail &&
        (c.short ? (
          // too short to show: still read out (and findable), like the title on hover
          <span className="sr-only"> · {c.detail}</span>
        ) : (
          <div className="ev-line ev-detail">{c.detail}</div>
        ))}
    </div>
  );
}
