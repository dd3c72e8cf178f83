// TEMPORARY (issue 13): the staff API written by hand from the contract the backend is implementing
// (notes/staff-api.md), until docs/openapi.json carries it. Once it does: `npm run gen:api`, derive
// these types from the generated schema in types.ts like every other type, and delete this file.

/** A staff member's own duration/price of one service they perform (null: the service's own). */
export interface PendingStaffService {
  service_id: number;
  duration_minutes: number | null;
  price: number | null;
}

export interface PendingStaffItem {
  id: number;
  name: string;
  description: string;
  /** "#RRGGBB" */
  color: string;
  hidden: boolean;
  telegram_chat_id: number | null;
  service_ids: number[];
  services: PendingStaffService[];
}

export interface PendingStaffBody {
  name: string;
  description?: string | null;
  color?: string | null;
  hidden?: boolean | null;
  telegram_chat_id?: number | null;
  /** Left out on PUT: unchanged; given: replaces the whole list. */
  services?: { service_id: number; duration_minutes?: number | null; price?: number | null }[] | null;
}

/** One stretch of a weekday's working hours; several on one weekday = breaks between them. */
export interface PendingHoursItem {
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  from: string;
  to: string;
}

export interface PendingTimeRange {
  from: string;
  to: string;
}

/** A day off or vacation (no hours) or other hours, on the dates [date_from, date_to]. */
export interface PendingExceptionItem {
  id: number;
  date_from: string;
  date_to: string;
  hours: PendingTimeRange[];
  note: string;
}

export interface PendingExceptionBody {
  date_from: string;
  date_to?: string | null;
  hours?: PendingTimeRange[] | null;
  note?: string | null;
}

export interface PendingStaffFigures {
  staff_id: number;
  name: string;
  bookings: number;
  completed: number;
  revenue: number;
  booked_hours: number;
  /** From their working hours; null when they have none set. */
  working_hours: number | null;
  /** booked / working (may exceed 1 with overtime); null without working hours. */
  utilisation: number | null;
}

// Fields the contract adds to existing schemas.
export interface PendingServiceFields {
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  staff_ids: number[];
}
export interface PendingServiceBodyFields {
  buffer_before_minutes?: number | null;
  buffer_after_minutes?: number | null;
  /** Left out on create: every staff member performs it. */
  staff_ids?: number[] | null;
}
export interface PendingStaffRef {
  staff_id: number;
  staff: string;
}
export interface PendingSlotBodyFields {
  staff_id?: number | null;
}
export interface PendingGenerateBody {
  staff_id?: number | null;
  date_from: string;
  date_to: string;
  step_minutes: number;
  /** With time_from and time_to; all three left out: the staff member's own working hours. */
  weekdays?: number[] | null;
  time_from?: string | null;
  time_to?: string | null;
}
export interface PendingGenerateResult {
  message: string;
  created: number;
  skipped: number;
  /** Unbooked generated times of the range that the new hours no longer have. */
  removed: number;
}
export interface PendingAppointmentBody {
  user_id: number;
  service_id: number;
  date_id?: number | null;
  /** "YYYY-MM-DDTHH:MM", local time */
  start?: string | null;
  /** Left out: the server assigns someone free. */
  staff_id?: number | null;
  notes?: string | null;
}
export interface PendingAppointmentChangeFields {
  staff_id?: number | null;
}
export interface PendingAnalyticsFields {
  by_staff: PendingStaffFigures[];
}
