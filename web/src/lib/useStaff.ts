// The staff list every page that names staff members needs, kept fresh by the live feed ("staff").
import { staff as staffApi } from '../api';
import type { HoursItem, StaffException, StaffMember } from '../api/types';
import { useLiveRefresh } from './live';
import { useLoad } from './useLoad';

const NONE: StaffMember[] = [];

export interface StaffList {
  /** Every staff member, hidden ones included (empty until loaded). */
  staff: StaffMember[];
  loaded: boolean;
  loading: boolean;
  reload: () => void;
}

export function useStaff(): StaffList {
  const { data, loading, reload } = useLoad(() => staffApi.list(), []);
  useLiveRefresh(['staff'], reload);
  return { staff: data ?? NONE, loaded: data !== null, loading, reload };
}

/**
 * Every staff member's weekly hours by id (`GET /api/staff/{id}/hours` each), for the calendar's
 * shaded off-hours; null until loaded. Asked again when the staff list changes (the live feed).
 */
export function useStaffHours(staff: readonly StaffMember[]): ReadonlyMap<number, HoursItem[]> | null {
  const ids = staff.map((s) => s.id).join(',');
  const { data } = useLoad(
    async () => new Map(await Promise.all(staff.map(async (s) => [s.id, await staffApi.hours(s.id)] as const))),
    [staff, ids],
    { quiet: true },
  );
  return data;
}

/**
 * Every staff member's dated exceptions (day off, vacation, other hours) by id
 * (`GET /api/staff/{id}/exceptions` each), for the calendar's shading; null until loaded.
 */
export function useStaffExceptions(staff: readonly StaffMember[]): ReadonlyMap<number, StaffException[]> | null {
  const ids = staff.map((s) => s.id).join(',');
  const { data } = useLoad(
    async () => new Map(await Promise.all(staff.map(async (s) => [s.id, await staffApi.exceptions(s.id)] as const))),
    [staff, ids],
    { quiet: true },
  );
  return data;
}
