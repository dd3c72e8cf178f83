import type { StaffMember } from '../api/types';
import { useI18n } from '../i18n';

interface Props {
  label: string;
  staff: readonly StaffMember[];
  value: number | null;
  onChange: (id: number | null) => void;
  /** The text of the empty choice (e.g. «Будь-хто», «Усі», «— оберіть —»). */
  emptyLabel: string;
  name?: string;
  className?: string;
}

/** A labelled <select> of staff members (hidden ones marked). */
export default function StaffSelect({ label, staff, value, onChange, emptyLabel, name = 'staff_id', className = 'field' }: Props) {
  const { t } = useI18n();
  return (
    <label className={className}>
      <span>{label}</span>
      <select name={name} value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        <option value="">{emptyLabel}</option>
        {staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.hidden ? `${s.name} (${t('staff.hiddenMark')})` : s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
