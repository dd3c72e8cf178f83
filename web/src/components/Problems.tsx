import { useI18n } from '../i18n';
import type { Problem } from '../lib/validation';

/** The problems a form's validation found, announced to screen readers. */
export default function Problems({ problems }: { problems: Problem[] }) {
  const { t } = useI18n();
  if (problems.length === 0) return null;
  return (
    <ul className="form-error" role="alert">
      {problems.map((p, i) => (
        <li key={`${p.key}-${i}`}>{t(p.key, p.field ? { field: t(p.field) } : undefined)}</li>
      ))}
    </ul>
  );
}
