import { describe, expect, it } from 'vitest';
import type { Appointment, StaffMember } from '../api/types';
import { STATUS_BORDER, toCalendarEvents } from './appointments';
import {
  contrastRatio,
  dayTimeRange,
  minutesToTime,
  reassignedStart,
  filterByStaff,
  freeColour,
  parseChatId,
  performersOf,
  readableBackground,
  serviceRows,
  STAFF_PALETTE,
  staffColumns,
  textOn,
  toggleStaff,
  UNKNOWN_STAFF_COLOUR,
  validateStaff,
  type StaffForm,
} from './staff';

function member(over: Partial<StaffMember> = {}): StaffMember {
  return {
    id: 1,
    name: 'Оксана',
    description: '',
    color: '#2f6f9f',
    hidden: false,
    telegram_chat_id: null,
    service_ids: [10],
    services: [{ service_id: 10, duration_minutes: null, price: null }],
    ...over,
  };
}

function appt(over: Partial<Appointment> = {}): Appointment {
  return {
    id: 7,
    user_id: 1,
    service_id: 10,
    date_id: null,
    title: 'Олена Коваль',
    phone: '+380501112233',
    service: 'Стрижка',
    start: '2026-03-29T10:00:00',
    end: '2026-03-29T11:00:00',
    status: 1,
    status_name: 'confirmed',
    notes: '',
    source: 'bot',
    cancel_reason: null,
    cancelled_by: null,
    telegram_id: null,
    price: 500,
    created_at: '2026-03-20T08:00:00Z',
    staff_id: 1,
    staff: 'Оксана',
    ...over,
  };
}

const OKSANA = member();
const IVAN = member({ id: 2, name: 'Іван', color: '#b0463b', service_ids: [10, 11] });
const MARTA = member({ id: 3, name: 'Марта', color: '#6b4fa3', hidden: true, service_ids: [11] });

describe('colours', () => {
  it('picks readable text on every palette colour', () => {
    for (const c of STAFF_PALETTE) expect(contrastRatio(c, textOn(c)), c).toBeGreaterThanOrEqual(4.5);
    expect(textOn('#f6c453')).toBe('#1d2733');
    expect(textOn('#2f6f9f')).toBe('#ffffff');
    expect(textOn('nonsense')).toBe('#1d2733');
  });

  it('darkens a colour no text reads on until white text does, keeping readable ones', () => {
    expect(readableBackground('#059669')).not.toBe('#059669');
    for (const c of ['#059669', '#f59e0b', '#22c55e', '#ff00ff', '#777777', '#2563eb', '#ffffff']) {
      const bg = readableBackground(c);
      expect(contrastRatio(bg, textOn(bg)), `${c} → ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(readableBackground('#2563eb')).toBe('#2563eb');
    expect(readableBackground('#ffffff')).toBe('#ffffff');
  });

  it('offers the first palette colour nobody has', () => {
    expect(freeColour([])).toBe(STAFF_PALETTE[0]);
    expect(freeColour([{ color: STAFF_PALETTE[0].toUpperCase() }])).toBe(STAFF_PALETTE[1]);
    expect(freeColour(STAFF_PALETTE.map((color) => ({ color })))).toBe(STAFF_PALETTE[0]);
  });
});

describe('performersOf', () => {
  it('lists the visible staff who perform the service', () => {
    expect(performersOf([OKSANA, IVAN, MARTA], 10).map((s) => s.id)).toEqual([1, 2]);
    expect(performersOf([OKSANA, IVAN, MARTA], 11).map((s) => s.id)).toEqual([2]);
    expect(performersOf([OKSANA, IVAN, MARTA], 99)).toEqual([]);
  });
});

describe('staffColumns', () => {
  const items = [
    appt({ id: 1, staff_id: 2 }),
    appt({ id: 2, staff_id: 1 }),
    appt({ id: 3, staff_id: 2, status: 3, status_name: 'cancelled' }),
    appt({ id: 4, staff_id: 3 }),
    appt({ id: 5, staff_id: 42, staff: 'Колишній' }),
  ];

  it('gives one column per visible staff member, hidden ones only with bookings, unknown ids last', () => {
    const cols = staffColumns(items, [OKSANA, IVAN, MARTA], { selected: null, showCancelled: false });
    expect(cols.map((c) => [c.staffId, c.name, c.appointments.map((a) => a.id)])).toEqual([
      [1, 'Оксана', [2]],
      [2, 'Іван', [1]],
      [3, 'Марта', [4]],
      [42, 'Колишній', [5]],
    ]);
    expect(cols[3]?.color).toBe(UNKNOWN_STAFF_COLOUR);
    expect(cols[2]?.hidden).toBe(true);
  });

  it('keeps an empty column for a free visible staff member and drops a free hidden one', () => {
    const cols = staffColumns([], [OKSANA, IVAN, MARTA], { selected: null, showCancelled: false });
    expect(cols.map((c) => c.staffId)).toEqual([1, 2]);
  });

  it('shows cancelled ones when asked and follows the filter', () => {
    const cols = staffColumns(items, [OKSANA, IVAN, MARTA], { selected: new Set([2]), showCancelled: true });
    expect(cols.map((c) => [c.staffId, c.appointments.map((a) => a.id)])).toEqual([[2, [1, 3]]]);
  });
});

describe('filters', () => {
  it('filters by staff', () => {
    const items = [appt({ id: 1, staff_id: 1 }), appt({ id: 2, staff_id: 2 })];
    expect(filterByStaff(items, null).map((a) => a.id)).toEqual([1, 2]);
    expect(filterByStaff(items, new Set([2])).map((a) => a.id)).toEqual([2]);
  });

  it('toggles one staff member; everyone again is no filter; the last one stays', () => {
    const all = [1, 2, 3];
    const a = toggleStaff(null, 2, all);
    expect(a && [...a].sort()).toEqual([1, 3]);
    const b = toggleStaff(a, 1, all);
    expect(b && [...b]).toEqual([3]);
    expect(toggleStaff(b, 3, all)).toEqual(new Set([3]));
    expect(toggleStaff(a, 2, all)).toBeNull();
  });
});

describe('calendar events coloured by staff', () => {
  it('uses the staff colour behind the text and the status as the border', () => {
    const colours = new Map([[2, '#b0463b']]);
    const [ev, unknown] = toCalendarEvents([appt({ staff_id: 2, status: 0, status_name: 'pending' }), appt({ id: 8, staff_id: 9 })], {
      showCancelled: false,
      staffColours: colours,
    });
    expect(ev?.backgroundColor).toBe('#b0463b');
    expect(ev?.textColor).toBe('#ffffff');
    expect(ev?.borderColor).toBe(STATUS_BORDER.pending);
    expect(ev?.classNames).toEqual(['ev-pending', 'ev-by-staff']);
    expect(unknown?.backgroundColor).toBe(UNKNOWN_STAFF_COLOUR);
  });
});

describe('the staff form', () => {
  const form: StaffForm = {
    name: ' Оксана ',
    description: '',
    color: '#2F6F9F',
    hidden: false,
    telegram_chat_id: '',
    services: [
      { service_id: 10, performs: true, duration: '', price: '' },
      { service_id: 11, performs: true, duration: '90', price: '750,50' },
      { service_id: 12, performs: false, duration: 'x', price: 'x' },
    ],
  };

  it('gives the body with the ticked services and their own terms', () => {
    expect(validateStaff(form)).toEqual({
      ok: true,
      value: {
        name: 'Оксана',
        description: '',
        color: '#2f6f9f',
        hidden: false,
        telegram_chat_id: null,
        services: [
          { service_id: 10, duration_minutes: null, price: null },
          { service_id: 11, duration_minutes: 90, price: 750.5 },
        ],
      },
    });
  });

  it('reports every problem', () => {
    const v = validateStaff({
      ...form,
      name: '',
      color: 'red',
      telegram_chat_id: '12a',
      services: [{ service_id: 10, performs: true, duration: '0', price: '-1' }],
    });
    expect(v.ok ? [] : v.problems.map((p) => p.key)).toEqual([
      'valid.required',
      'valid.colour',
      'valid.chatIdStaff',
      'valid.ownDuration',
      'valid.price',
    ]);
  });

  it('reads chat ids, negative ones of groups too', () => {
    expect(parseChatId('')).toBeNull();
    expect(parseChatId('123456')).toBe(123456);
    expect(parseChatId('-1001234567890')).toBe(-1001234567890);
    expect(parseChatId('0')).toBeUndefined();
    expect(parseChatId('12.5')).toBeUndefined();
  });

  it('fills the rows from the staff member (a new one performs everything)', () => {
    const svcs = [{ id: 10 }, { id: 11 }];
    expect(serviceRows(svcs).map((r) => r.performs)).toEqual([true, true]);
    const m = member({ service_ids: [11], services: [{ service_id: 11, duration_minutes: 90, price: 700 }] });
    expect(serviceRows(svcs, m)).toEqual([
      { service_id: 10, performs: false, duration: '', price: '' },
      { service_id: 11, performs: true, duration: '90', price: '700' },
    ]);
  });
});

describe('dayTimeRange', () => {
  it('shows 07–21 unless a booking reaches further, in whole hours', () => {
    expect(dayTimeRange([])).toEqual({ min: '07:00:00', max: '21:00:00' });
    expect(dayTimeRange([{ start: '2026-03-29T06:30:00', end: '2026-03-29T07:30:00' }])).toEqual({ min: '06:00:00', max: '21:00:00' });
    expect(dayTimeRange([{ start: '2026-03-29T20:00:00', end: '2026-03-29T21:15:00' }])).toEqual({ min: '07:00:00', max: '22:00:00' });
    expect(dayTimeRange([{ start: '2026-03-29T23:00:00', end: '2026-03-30T00:30:00' }])).toEqual({ min: '07:00:00', max: '24:00:00' });
  });
});

describe('reassignedStart', () => {
  it('moves by whole snaps between the grabbed and the dropped time', () => {
    // grabbed 10 minutes into a 10:00 booking, dropped at 10:05 in another column: same start
    expect(reassignedStart(600, 610, 605)).toBe(600);
    // dropped at 12:40: two hours and a half later
    expect(reassignedStart(600, 610, 760)).toBe(750);
    // grabbed in its second half hour (10:45), dropped at 10:20: half an hour earlier
    expect(reassignedStart(600, 645, 620)).toBe(570);
    expect(reassignedStart(30, 40, 0)).toBe(0);
    expect(minutesToTime(570)).toBe('09:30');
  });
});
