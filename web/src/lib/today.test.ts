import { describe, expect, it } from 'vitest';
import type { Appointment } from '../api/types';
import { awaitingConfirmation, newBotBookings, todaysVisits } from './today';

let next = 1;
function appt(over: Partial<Appointment>): Appointment {
  return {
    id: next++,
    user_id: 1,
    service_id: 2,
    staff_id: 1,
    staff: 'Оксана',
    date_id: 3,
    title: 'Олена',
    phone: '+380501112233',
    service: 'Стрижка',
    start: '2026-11-30T10:00:00',
    end: '2026-11-30T11:00:00',
    status: 1,
    status_name: 'confirmed',
    notes: '',
    source: 'admin',
    cancel_reason: null,
    cancelled_by: null,
    telegram_id: null,
    price: null,
    created_at: '2026-11-29T08:00:00Z',
    ...over,
  } as Appointment;
}

describe('today first', () => {
  const later = appt({ start: '2026-11-30T15:00:00' });
  const early = appt({ start: '2026-11-30T09:00:00', status: 0, status_name: 'pending' });
  const cancelled = appt({ start: '2026-11-30T12:00:00', status: 3, status_name: 'cancelled' });
  const tomorrow = appt({ start: '2026-12-01T09:00:00', status: 0, status_name: 'pending', source: 'bot', created_at: '2026-11-30T07:30:00Z' });
  const oldBot = appt({ start: '2026-12-02T09:00:00', source: 'bot', created_at: '2026-11-28T07:30:00Z' });
  const items = [later, tomorrow, cancelled, early, oldBot];

  it('lists today’s active visits earliest first', () => {
    expect(todaysVisits(items, '2026-11-30')).toEqual([early, later]);
  });

  it('lists what awaits confirmation earliest first', () => {
    expect(awaitingConfirmation(items)).toEqual([early, tomorrow]);
  });

  it('counts bot bookings made since the last look, none the first time', () => {
    expect(newBotBookings(items, '2026-11-30T07:00:00Z')).toEqual([tomorrow]);
    expect(newBotBookings(items, '2026-11-27T00:00:00Z')).toEqual([tomorrow, oldBot]);
    expect(newBotBookings(items, null)).toEqual([]);
  });
});
