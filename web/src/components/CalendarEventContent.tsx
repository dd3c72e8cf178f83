import type { EventContentArg } from '@fullcalendar/core';
import { useLayoutEffect, useRef } from 'react';
import type { Appointment } from '../api/types';
import { compactEvent, nameForms } from '../lib/calendarView';

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

/**
 * The phone's week view (seven columns of about 40 px): the start time over the name, each written
 * as long as fits whole ("Олена К.", "Олена", "ОК"), never a cut fragment. A tap opens the booking
 * with everything, as before; the full text stays for screen readers and as the title.
 */
export function renderNarrowEventContent(arg: EventContentArg) {
  if (arg.view.type !== 'timeGridWeek') return renderEventContent(arg);
  const a = arg.event.extendedProps.appointment as Appointment | undefined;
  if (!a) return true;
  const c = compactEvent(a);
  return (
    <div className="ev-compact ev-narrow">
      <FitText className="ev-line ev-time" forms={[c.time]} />
      <FitText className="ev-line ev-name" forms={nameForms(c.name)} />
      <span className="sr-only">
        {c.time} {c.name}
        {c.detail ? ` · ${c.detail}` : ''}
      </span>
    </div>
  );
}

/** The size the last form may shrink to when nothing fits at the line's own. */
const SMALLER = '0.8em';

/**
 * A line showing the first of `forms` that fits its width whole (the last a size smaller if need be;
 * none when even that does not),
 * re-chosen when the box changes size. Hidden from screen readers: the full text is read instead.
 */
function FitText({ forms, className }: { forms: readonly string[]; className: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = forms.join('\u0000');
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fits = () => el.scrollWidth <= el.clientWidth + 1;
    const fit = () => {
      if (el.clientWidth === 0) return; // not laid out yet
      el.style.fontSize = '';
      for (const form of forms) {
        el.textContent = form;
        if (fits()) return;
      }
      // Two bookings side by side leave about 20 px: the shortest form (initials) a size smaller
      // still reads better than nothing.
      el.style.fontSize = SMALLER;
      if (fits()) return;
      el.style.fontSize = '';
      el.textContent = '';
    };
    fit();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
    // `key` stands for `forms` (often a new array with the same words)
  }, [key]);
  return <div ref={ref} className={className} aria-hidden="true" />;
}
