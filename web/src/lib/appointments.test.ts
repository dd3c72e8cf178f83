import { describe, expect, it } from 'vitest';
import type { Appointment } from '../api/types';
import { allowedActions, droppedStart, hasStarted, isActive, STATUS_COLOURS, statusOf, toCalendarEvents } from './appointments';

function appt(over: Partial<Appointment> = {}): Appointment {
  return {
    id: 7,
    user_id: 1,
    service_id: 2,
    staff_id: 1,
    staff: 'Оксана',
    date_id: 3,
    title: 'Олена Коваль',
    phone: '+380501112233',
    service: 'Стрижка',
    start: '2026-03-29T10:00:00',
    end: '2026-03-29T11:30:00',
    status: 0,
    status_name: 'pending',
    notes: '',
    source: 'bot',
    cancel_reason: null,
    cancelled_by: null,
    telegram_id: 42,
    price: 500,
    created_at: '2026-03-20T08:00:00Z',
    ...over,
  };
}

describe('toCalendarEvents', () => {
  it('gives floating UTC times equal to the wall clock', () => {
    const [ev] = toCalendarEvents([appt()], { showCancelled: false });
    expect((ev?.start as Date).toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect((ev?.end as Date).toISOString()).toBe('2026-03-29T11:30:00.000Z');
    expect(ev?.id).toBe('7');
    expect(ev?.title).toBe('Олена Коваль · Стрижка');
  });

  it('colours by status', () => {
    const events = toCalendarEvents(
      [
        appt({ id: 1, status: 0, status_name: 'pending' }),
        appt({ id: 2, status: 1, status_name: 'confirmed' }),
        appt({ id: 3, status: 2, status_name: 'completed' }),
        appt({ id: 4, status: 4, status_name: 'no_show' }),
      ],
      { showCancelled: false },
    );
    expect(events.map((e) => e.backgroundColor)).toEqual([
      STATUS_COLOURS.pending.background,
      STATUS_COLOURS.confirmed.background,
      STATUS_COLOURS.completed.background,
      STATUS_COLOURS.no_show.background,
    ]);
    expect(events[0]?.classNames).toEqual(['ev-pending']);
  });

  it('hides cancelled ones unless asked, then shows them faded', () => {
    const items = [appt({ id: 1 }), appt({ id: 2, status: 3, status_name: 'cancelled' })];
    expect(toCalendarEvents(items, { showCancelled: false }).map((e) => e.id)).toEqual(['1']);
    const shown = toCalendarEvents(items, { showCancelled: true });
    expect(shown.map((e) => e.id)).toEqual(['1', '2']);
    expect(shown[1]?.classNames).toEqual(['ev-cancelled']);
  });

  it('lets only active bookings be dragged, never resized', () => {
    const events = toCalendarEvents(
      [appt({ id: 1 }), appt({ id: 2, status: 2, status_name: 'completed' })],
      { showCancelled: true },
    );
    expect(events.map((e) => e.startEditable)).toEqual([true, false]);
    expect(events.every((e) => e.durationEditable === false)).toBe(true);
  });

  it('keeps the appointment for the details dialog', () => {
    const a = appt();
    expect(toCalendarEvents([a], { showCancelled: false })[0]?.extendedProps?.appointment).toBe(a);
  });
});

describe('droppedStart', () => {
  it('turns the dropped floating date back into YYYY-MM-DDTHH:MM', () => {
    expect(droppedStart(new Date(Date.UTC(2026, 2, 30, 14, 30)))).toBe('2026-03-30T14:30');
    expect(droppedStart(null)).toBeNull();
  });
});

describe('status helpers', () => {
  it('falls back to the numeric code', () => {
    expect(statusOf({ status: 4, status_name: undefined as never })).toBe('no_show');
    expect(isActive({ status: 1, status_name: 'confirmed' })).toBe(true);
    expect(isActive({ status: 3, status_name: 'cancelled' })).toBe(false);
  });

  const start = '2026-03-29T10:00:00';
  const before = new Date(Date.UTC(2026, 2, 29, 9, 59));
  const at = new Date(Date.UTC(2026, 2, 29, 10, 0));

  it('offers actions that fit the status', () => {
    expect(allowedActions({ status: 0, status_name: 'pending', start }, at)).toContain('confirm');
    expect(allowedActions({ status: 1, status_name: 'confirmed', start }, at)).not.toContain('confirm');
    expect(allowedActions({ status: 1, status_name: 'confirmed', start }, at)).toContain('complete');
    expect(allowedActions({ status: 3, status_name: 'cancelled', start }, at)).toEqual([]);
    expect(allowedActions({ status: 2, status_name: 'completed', start }, at)).toEqual([]);
  });

  it('offers "done" and "no-show" only once the visit has started', () => {
    expect(allowedActions({ status: 0, status_name: 'pending', start }, before)).toEqual(['confirm', 'edit', 'cancel']);
    expect(allowedActions({ status: 1, status_name: 'confirmed', start }, before)).toEqual(['edit', 'cancel']);
    expect(allowedActions({ status: 1, status_name: 'confirmed', start }, at)).toEqual(['edit', 'cancel', 'complete', 'no_show']);
    expect(hasStarted({ start }, before)).toBe(false);
    expect(hasStarted({ start }, at)).toBe(true);
  });
});

describe('STATUS_COLOURS', () => {
  /** WCAG 2.1 relative luminance and contrast ratio. */
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };

  it('keep the events’ text readable: WCAG AA contrast of at least 4.5:1 for every status', () => {
    for (const [status, c] of Object.entries(STATUS_COLOURS)) {
      expect(contrast(c.text, c.background), status).toBeGreaterThanOrEqual(4.5);
    }
  });
});
