// A client card's figures, from their bookings: visits made, the last one, money spent, no-shows,
// bookings still ahead.
import type { Appointment } from '../api/types';
import { statusOf } from './appointments';

export interface ClientSummary {
  visits: number;
  /** The start of the last completed visit ("YYYY-MM-DDTHH:MM:SS"), or null. */
  lastVisit: string | null;
  /** The prices of the completed visits (those without a price count as 0). */
  spent: number;
  noShows: number;
  /** Pending or confirmed bookings. */
  upcoming: number;
}

export function clientSummary(items: readonly Appointment[]): ClientSummary {
  let visits = 0;
  let lastVisit: string | null = null;
  let spent = 0;
  let noShows = 0;
  let upcoming = 0;
  for (const a of items) {
    const s = statusOf(a);
    if (s === 'completed') {
      visits += 1;
      spent += a.price ?? 0;
      if (lastVisit === null || a.start > lastVisit) lastVisit = a.start;
    } else if (s === 'no_show') noShows += 1;
    else if (s === 'pending' || s === 'confirmed') upcoming += 1;
  }
  return { visits, lastVisit, spent: Math.round(spent * 100) / 100, noShows, upcoming };
}
