// The staff list every page that names staff members needs, kept fresh by the live feed ("staff").
import { staff as staffApi } from '../api';
import type { StaffMember } from '../api/types';
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
