import { useI18n } from '../i18n';

interface Props {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}

export default function Pager({ total, limit, offset, onChange }: Props) {
  const { t } = useI18n();
  if (total <= 0) return null;
  const from = Math.min(offset + 1, total);
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" className="btn" disabled={offset <= 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        ‹ {t('pager.prev')}
      </button>
      <span className="pager-range">{t('pager.range', { from, to, total })}</span>
      <button type="button" className="btn" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t('pager.next')} ›
      </button>
    </nav>
  );
}
