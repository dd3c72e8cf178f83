import { describe, expect, it } from 'vitest';
import type { Appointment } from '../api/types';
import { clientSummary } from './clientSummary';

const a = (status_name: Appointment['status_name'], start: string, price: number | null = 500) =>
  ({ id: 1, status: 0, status_name, start, end: start, price }) as unknown as Appointment;

describe('clientSummary', () => {
  it('counts visits, the last one, the money spent, no-shows and what is ahead', () => {
    expect(
      clientSummary([
        a('completed', '2026-10-01T10:00:00', 600),
        a('completed', '2026-11-01T10:00:00', 250.5),
        a('no_show', '2026-11-10T10:00:00'),
        a('cancelled', '2026-11-12T10:00:00'),
        a('confirmed', '2026-12-01T10:00:00'),
        a('completed', '2026-09-01T10:00:00', null),
      ]),
    ).toEqual({ visits: 3, lastVisit: '2026-11-01T10:00:00', spent: 850.5, noShows: 1, upcoming: 1 });
  });

  it('is all zeros for a new client', () => {
    expect(clientSummary([])).toEqual({ visits: 0, lastVisit: null, spent: 0, noShows: 0, upcoming: 0 });
  });
});
