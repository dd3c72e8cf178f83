import { useState } from 'react';
import { appointments } from '../api';
import { STATUS_NAMES, type Appointment, type Service, type StaffMember, type StatusName } from '../api/types';
import { useI18n } from '../i18n';
import { ACTION_LABELS, performStatusAction } from '../lib/appointmentActions';
import { allowedActions, statusOf } from '../lib/appointments';
import { useApp } from '../lib/context';
import { appointmentsCsvUrl } from '../lib/integrations';
import { formatApiTime, TIME_ONLY, wallClockNow } from '../lib/time';
import { useDebounced } from '../lib/useDebounced';
import { useLoad, useStepBackFromEmptyPage } from '../lib/useLoad';
import Pager from './Pager';
import StaffDot from './StaffDot';
import StaffSelect from './StaffSelect';
import StatusBadge from './StatusBadge';
import TableStatusRow from './TableStatusRow';
import DateInput from './DateInput';

interface Props {
  reloadKey: number;
  /** Today in the business's zone: the table starts there (earliest first) until "from" is changed. */
  today: string;
  services: Service[];
  /** Every staff member; the staff column and filter show when there is more than one. */
  staff: StaffMember[];
  onOpen: (a: Appointment) => void;
  onEdit: (a: Appointment) => void;
  onChanged: () => void;
}

interface Filters {
  from: string;
  to: string;
  status: StatusName | '';
  service_id: number | '';
  staff_id: number | '';
  q: string;
}

const EMPTY: Filters = { from: '', to: '', status: '', service_id: '', staff_id: '', q: '' };
/** The table's starting filters: from today on. */
const initial = (today: string): Filters => ({ ...EMPTY, from: today });
const LIMIT = 20;

export default function AppointmentTable({ reloadKey, today, services, staff, onOpen, onEdit, onChanged }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [filters, setFilters] = useState<Filters>(() => initial(today));
  const q = useDebounced(filters.q.trim(), 300);
  const [offset, setOffset] = useState(0);

  const { from, to, status, service_id, staff_id } = filters;
  const manyStaff = staff.length > 1;
  const staffColour = (id: number) => staff.find((s) => s.id === id)?.color ?? '';
  const { data: page, loading } = useLoad(
    // From a date on: earliest first (today's first); over all dates: newest first.
    () => appointments.list({ from, to, status, service_id, staff_id, q, order: from ? 'asc' : 'desc', limit: LIMIT, offset }),
    [from, to, status, service_id, staff_id, q, offset, reloadKey],
  );
  const items = page?.items ?? null;
  const total = page?.total ?? 0;
  // The last page emptied (e.g. after a cancel with a status filter): step back.
  useStepBackFromEmptyPage(page, offset, LIMIT, setOffset);

  const update = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setOffset(0);
  };

  const act = async (a: Appointment, action: ReturnType<typeof allowedActions>[number]) => {
    if (action === 'edit') {
      onEdit(a);
      return;
    }
    if (await performStatusAction(a, action)) onChanged();
  };

  const hasFilters = JSON.stringify(filters) !== JSON.stringify(initial(today));
  const now = wallClockNow(timeZone);

  return (
    <div>
      <div className="filters">
        <label className="field">
          <span>{t('home.filterFrom')}</span>
          <DateInput value={filters.from} onChange={(v) => update('from', v)} />
        </label>
        <label className="field">
          <span>{t('home.filterTo')}</span>
          <DateInput value={filters.to} onChange={(v) => update('to', v)} />
        </label>
        <label className="field">
          <span>{t('home.filterStatus')}</span>
          <select value={filters.status} onChange={(e) => update('status', e.target.value as StatusName | '')}>
            <option value="">{t('common.all')}</option>
            {STATUS_NAMES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('home.filterService')}</span>
          <select
            value={filters.service_id}
            onChange={(e) => update('service_id', e.target.value ? Number(e.target.value) : '')}
          >
            <option value="">{t('common.all')}</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.service_name}
              </option>
            ))}
          </select>
        </label>
        {manyStaff && (
          <StaffSelect
            label={t('home.filterStaff')}
            staff={staff}
            value={filters.staff_id === '' ? null : filters.staff_id}
            onChange={(id) => update('staff_id', id ?? '')}
            emptyLabel={t('common.all')}
            name="filter_staff"
          />
        )}
        <label className="field field-grow">
          <span>{t('home.filterQuery')}</span>
          <input type="search" value={filters.q} onChange={(e) => update('q', e.target.value)} />
        </label>
        {hasFilters && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setFilters(initial(today));
              setOffset(0);
            }}
          >
            {t('home.clearFilters')}
          </button>
        )}
        <a className="btn export-csv" href={appointmentsCsvUrl(filters, lang)} download title={t('home.exportCsvHint')}>
          {t('home.exportCsv')}
        </a>
      </div>

      {filters.from === today && <p className="hint table-hint">{t('home.tableHint')}</p>}
      <div className="table-wrap" aria-busy={loading}>
        <table className="table table-cards">
          <thead>
            <tr>
              <th scope="col">{t('appt.client')}</th>
              <th scope="col">{t('appt.phone')}</th>
              <th scope="col">{t('appt.service')}</th>
              {manyStaff && <th scope="col">{t('appt.staff')}</th>}
              <th scope="col">{t('appt.from')}</th>
              <th scope="col">{t('appt.to')}</th>
              <th scope="col">{t('appt.status')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items?.map((a) => {
              const st = statusOf(a);
              return (
                <tr key={a.id} className={st === 'cancelled' ? 'row-faded' : undefined}>
                  <td data-label={t('appt.client')}>
                    <button type="button" className="link" onClick={() => onOpen(a)}>
                      {a.title || t('common.none')}
                    </button>
                  </td>
                  <td className="nowrap" data-label={t('appt.phone')}>{a.phone ? <a href={`tel:${a.phone}`}>{a.phone}</a> : t('common.none')}</td>
                  <td data-label={t('appt.service')}>{a.service}</td>
                  {manyStaff && (
                    <td data-label={t('appt.staff')}>
                      <span className="staff-name">
                        <StaffDot color={staffColour(a.staff_id)} />
                        {a.staff || t('common.none')}
                      </span>
                    </td>
                  )}
                  <td className="nowrap" data-label={t('appt.from')}>{formatApiTime(a.start, lang, timeZone)}</td>
                  <td className="nowrap" data-label={t('appt.to')}>
                    {/* the end's time alone when it is the start's day: a narrower table with the staff column */}
                    {formatApiTime(a.end, lang, timeZone, manyStaff && a.end.slice(0, 10) === a.start.slice(0, 10) ? TIME_ONLY : undefined)}
                  </td>
                  <td data-label={t('appt.status')}>
                    <StatusBadge status={st} />
                  </td>
                  <td className="cell-actions">
                    <div className="row-actions">
                      {allowedActions(a, now).map((action) => (
                        <button
                          key={action}
                          type="button"
                          className={`btn btn-sm btn-action-${action}`}
                          onClick={() => void act(a, action)}
                        >
                          {t(ACTION_LABELS[action])}
                        </button>
                      ))}
                    </div>
                  </td>
                </tr>
              );
            })}
            <TableStatusRow columns={manyStaff ? 8 : 7} items={items} loading={loading} />
          </tbody>
        </table>
      </div>
      <Pager total={total} limit={LIMIT} offset={offset} onChange={setOffset} />
    </div>
  );
}
