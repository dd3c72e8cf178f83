import { describe, expect, it } from 'vitest';
import type { WaitDay, WaitItem } from '../api/types';
import { waitWhat, waitingCount, waitingDays } from './waitlist';

function wait(over: Partial<WaitItem>): WaitItem {
  return {
    id: 1,
    user_id: 1,
    user_name: 'Олена',
    service_id: 2,
    service: 'Стрижка',
    staff_id: null,
    staff: null,
    around: false,
    asked_at: '2026-03-02T09:00:00',
    appointment_id: null,
    ...over,
  };
}

describe('the waitlist panel', () => {
  const days: WaitDay[] = [
    { date: '2026-03-04', waits: [wait({ id: 1 }), wait({ id: 2, appointment_id: 9 })] },
    { date: '2026-03-05', waits: [wait({ id: 3, appointment_id: 10 })] },
    { date: '2026-03-06', waits: [wait({ id: 4, staff_id: 3, staff: 'Оксана' })] },
  ];

  it('shows only the days where someone still waits, and only those waits', () => {
    expect(waitingDays(days).map((d) => [d.date, d.waits.map((w) => w.id)])).toEqual([
      ['2026-03-04', [1]],
      ['2026-03-06', [4]],
    ]);
    expect(waitingCount(days)).toBe(2);
  });

  it('names the staff member only when the client chose one', () => {
    expect(waitWhat(wait({}))).toBe('Стрижка');
    expect(waitWhat(wait({ staff_id: 3, staff: 'Оксана' }))).toBe('Стрижка · Оксана');
  });
});
