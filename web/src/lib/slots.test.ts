import { describe, expect, it } from 'vitest';
import type { Slot } from '../api/types';
import { appointmentChangeBody, calendarChoice, groupsOnDay, groupSlotsByDay, isTaken, newAppointmentBody, slotOptionGroups } from './slots';

const slot = (id: number, date: string, time: string, reserved = 0, end?: string): Slot => ({
  id,
  available_date: date,
  available_time: time,
  staff_id: 1,
  staff: 'Оксана',
  covered: false,
  is_appointments: reserved as 0 | 1,
  start: `${date}T${time}:00`,
  ...(end ? { end_datetime: end } : {}),
});

describe('groupSlotsByDay', () => {
  it('groups by day, sorting days and times, counting reserved ones', () => {
    const days = groupSlotsByDay([
      slot(1, '2026-05-02', '10:00'),
      slot(2, '2026-05-01', '15:00', 1),
      slot(3, '2026-05-01', '09:00'),
      slot(4, '2026-05-02', '08:30', 1),
    ]);
    expect(days.map((d) => d.date)).toEqual(['2026-05-01', '2026-05-02']);
    expect(days[0]?.slots.map((s) => s.id)).toEqual([3, 2]);
    expect(days[1]?.slots.map((s) => s.available_time)).toEqual(['08:30', '10:00']);
    expect(days.map((d) => [d.free, d.reserved])).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('copes with nothing', () => {
    expect(groupSlotsByDay([])).toEqual([]);
  });
});

describe('slotOptionGroups', () => {
  it('labels times with their end when known', () => {
    const groups = slotOptionGroups([slot(1, '2026-05-01', '09:00', 0, '10:30'), slot(2, '2026-05-01', '11:00')]);
    expect(groups).toEqual([
      {
        date: '2026-05-01',
        options: [
          { value: '1', label: '09:00–10:30', start: '2026-05-01T09:00', dateId: 1 },
          { value: '2', label: '11:00', start: '2026-05-01T11:00', dateId: 2 },
        ],
      },
    ]);
  });
});

describe('taken times', () => {
  it('count a time covered by a longer booking as taken, not free', () => {
    const covered = { ...slot(2, '2026-05-01', '10:30'), covered: true };
    const [day] = groupSlotsByDay([slot(1, '2026-05-01', '10:00', 1), covered, slot(3, '2026-05-01', '12:00')]);
    expect(day).toMatchObject({ free: 1, reserved: 2 });
    expect(isTaken(covered)).toBe(true);
    expect(isTaken(slot(3, '2026-05-01', '12:00'))).toBe(false);
  });
});

describe('slotOptionGroups for any staff member', () => {
  it('merges the same start of several staff members into one choice by start', () => {
    const groups = slotOptionGroups(
      [
        { ...slot(1, '2026-05-01', '09:00'), staff_id: 1 },
        { ...slot(2, '2026-05-01', '09:00'), staff_id: 2, staff: 'Іван' },
        { ...slot(3, '2026-05-01', '10:00'), staff_id: 2, staff: 'Іван' },
      ],
      true,
    );
    expect(groups[0]?.options).toEqual([
      { value: 's:2026-05-01T09:00', label: '09:00', start: '2026-05-01T09:00' },
      { value: 's:2026-05-01T10:00', label: '10:00', start: '2026-05-01T10:00' },
    ]);
  });

  it('chooses a time without a stored id by its start', () => {
    expect(slotOptionGroups([slot(0, '2026-05-01', '09:00')])[0]?.options).toEqual([
      { value: 's:2026-05-01T09:00', label: '09:00', start: '2026-05-01T09:00' },
    ]);
  });
});

describe('appointment bodies', () => {
  const bySlot = { value: '7', label: '10:00', start: '2026-05-01T10:00', dateId: 7 };
  const byStart = { value: 's:2026-05-01T10:00', label: '10:00', start: '2026-05-01T10:00' };

  it('books a stored slot by its id, otherwise by start with the chosen staff member or none', () => {
    expect(newAppointmentBody(1, { serviceId: 2, choice: bySlot, staffId: null, notes: ' ' })).toEqual({ user_id: 1, service_id: 2, date_id: 7 });
    expect(newAppointmentBody(1, { serviceId: 2, choice: byStart, staffId: null, notes: 'VIP' })).toEqual({
      user_id: 1,
      service_id: 2,
      start: '2026-05-01T10:00',
      notes: 'VIP',
    });
    expect(newAppointmentBody(1, { serviceId: 2, choice: byStart, staffId: 4, notes: '' })).toEqual({
      user_id: 1,
      service_id: 2,
      start: '2026-05-01T10:00',
      staff_id: 4,
    });
  });

  it('changes only what changed: the start, the service, the staff member', () => {
    const a = { service_id: 2, staff_id: 3 };
    expect(appointmentChangeBody(a, { serviceId: 2, staffId: null, notes: '' })).toEqual({ notes: '' });
    expect(appointmentChangeBody(a, { serviceId: 2, staffId: 3, notes: '' })).toEqual({ notes: '' });
    expect(appointmentChangeBody(a, { serviceId: 5, choice: bySlot, staffId: 4, notes: ' x ' })).toEqual({
      notes: 'x',
      start: '2026-05-01T10:00',
      service_id: 5,
      staff_id: 4,
    });
  });

  it('sends a visit price only when it differs', () => {
    const a = { service_id: 2, staff_id: 3, price: 600 };
    expect(appointmentChangeBody(a, { serviceId: 2, staffId: null, notes: '', price: 600 })).toEqual({ notes: '' });
    expect(appointmentChangeBody(a, { serviceId: 2, staffId: null, notes: '', price: null })).toEqual({ notes: '' });
    expect(appointmentChangeBody(a, { serviceId: 2, staffId: null, notes: '', price: 500.5 })).toEqual({ notes: '', price: 500.5 });
    expect(appointmentChangeBody({ ...a, price: null }, { serviceId: 2, staffId: null, notes: '', price: 0 })).toEqual({ notes: '', price: 0 });
  });
});

describe('a booking from the calendar', () => {
  const groups = [
    { date: '2026-12-01', options: [{ value: '11', label: '10:00–11:00', start: '2026-12-01T10:00', dateId: 11 }] },
    { date: '2026-12-02', options: [{ value: '12', label: '12:00–13:00', start: '2026-12-02T12:00', dateId: 12 }] },
  ];

  it('picks the free time that starts where the calendar was clicked', () => {
    expect(calendarChoice(groups, '2026-12-01T10:00')).toEqual(groups[0]!.options[0]);
  });

  it('offers the clicked start itself when no free time starts there, and nothing for a date alone', () => {
    expect(calendarChoice(groups, '2026-12-01T15:30')).toEqual({ value: 's:2026-12-01T15:30', label: '15:30', start: '2026-12-01T15:30' });
    expect(calendarChoice(groups, '2026-12-01')).toBeNull();
    expect(calendarChoice(groups, undefined)).toBeNull();
  });

  it('narrows the times to one day', () => {
    expect(groupsOnDay(groups, '2026-12-02').map((g) => g.date)).toEqual(['2026-12-02']);
    expect(groupsOnDay(groups, '')).toHaveLength(2);
  });
});
