import { useI18n } from '../i18n';

interface Props {
  /** The table's column count (the row spans them all). */
  columns: number;
  /** What the table shows; null until the first answer arrived. */
  items: readonly unknown[] | null;
  /** A request is running. */
  loading: boolean;
  /** The text when there is nothing (default: "Nothing found."). */
  emptyText?: string;
}

/**
 * The row a table shows instead of data: "Loading…" until its first answer, "Nothing found." once an
 * answer (or a failure) left it empty; nothing while there are rows (a reload keeps them on screen).
 */
export default function TableStatusRow({ columns, items, loading, emptyText }: Props) {
  const { t } = useI18n();
  if (items !== null && items.length > 0) return null;
  const waiting = items === null && loading;
  return (
    <tr className="status-row">
      <td colSpan={columns} className="empty">
        {waiting ? t('common.loading') : (emptyText ?? t('common.empty'))}
      </td>
    </tr>
  );
}
