import type { StatusName } from '../api/types';
import { useI18n } from '../i18n';

export default function StatusBadge({ status }: { status: StatusName }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}
