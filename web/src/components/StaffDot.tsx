import { colourOf } from '../lib/staff';

/** The staff member's colour as a small dot (decorative: the name is always next to it). */
export default function StaffDot({ color }: { color: string }) {
  return <span className="staff-dot" style={{ backgroundColor: colourOf({ color }) }} aria-hidden="true" />;
}
