import { useState } from 'react';
import { services as servicesApi } from '../api';
import type { Service } from '../api/types';
import ServiceForm from '../components/ServiceForm';
import TableStatusRow from '../components/TableStatusRow';
import { useI18n } from '../i18n';
import { formatHoursAmount, formatPrice } from '../lib/format';
import { useLiveRefresh } from '../lib/live';
import { confirmDialog, runAction } from '../lib/notify';
import { useLoad } from '../lib/useLoad';
import { useStaff } from '../lib/useStaff';

type FormState = { open: false } | { open: true; service?: Service };

export default function ServicesPage() {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<FormState>({ open: false });
  const { data: items, loading, reload: load } = useLoad(() => servicesApi.list(), []);
  useLiveRefresh(['service', 'staff'], load);
  const { staff } = useStaff();
  const manyStaff = staff.length > 1;
  const staffNames = (s: Service) =>
    staff
      .filter((m) => (s.staff_ids ?? []).includes(m.id))
      .map((m) => m.name)
      .join(', ') || t('services.noStaff');

  const remove = async (s: Service) => {
    const ok = await confirmDialog({
      title: t('services.deleteTitle', { name: s.service_name }),
      text: t('services.deleteText'),
      confirmText: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    if (await runAction(() => servicesApi.remove(s.id), t('services.deleted'))) load();
  };

  const price = (p: number | null) => (p === null ? t('services.noPrice') : formatPrice(p, lang));
  const hours = (h: number) => formatHoursAmount(h, lang);

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('services.title')}</h1>
        <button type="button" className="btn btn-primary" onClick={() => setForm({ open: true })}>
          + {t('services.add')}
        </button>
      </div>
      <div className="card">
        <div className="table-wrap" aria-busy={loading}>
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">{t('services.name')}</th>
                <th scope="col">{t('services.duration')}</th>
                <th scope="col">{t('appt.price')}</th>
                {manyStaff && <th scope="col">{t('services.staffColumn')}</th>}
                <th scope="col">{t('services.visibility')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items?.map((s) => (
                <tr key={s.id} className={s.hidden ? 'row-faded' : undefined}>
                  <td data-label={t('services.name')}>
                    <strong>{s.service_name}</strong>
                    {s.description && <div className="muted small">{s.description}</div>}
                    {s.rebook_after_days && (
                      <div className="muted small">{t('services.rebookShort', { days: s.rebook_after_days })}</div>
                    )}
                  </td>
                  <td className="nowrap" data-label={t('services.duration')}>
                    {s.duration_minutes} {t('common.minutes')} <span className="muted">({hours(s.duration_hours)})</span>
                    {(s.buffer_before_minutes > 0 || s.buffer_after_minutes > 0) && (
                      <div className="muted small">
                        {t('services.bufferShort', { before: s.buffer_before_minutes, after: s.buffer_after_minutes })}
                      </div>
                    )}
                  </td>
                  <td className="nowrap" data-label={t('appt.price')}>{price(s.price)}</td>
                  {manyStaff && <td data-label={t('services.staffColumn')}>{staffNames(s)}</td>}
                  <td data-label={t('services.visibility')}>
                    <span className={`badge ${s.hidden ? 'badge-cancelled' : 'badge-confirmed'}`}>
                      {s.hidden ? t('services.hiddenMark') : t('services.visible')}
                    </span>
                  </td>
                  <td className="cell-actions">
                    <div className="row-actions">
                      <button type="button" className="btn btn-sm" onClick={() => setForm({ open: true, service: s })}>
                        {t('common.edit')}
                      </button>
                      <button type="button" className="btn btn-sm btn-danger" onClick={() => void remove(s)}>
                        {t('common.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
              <TableStatusRow columns={manyStaff ? 6 : 5} items={items} loading={loading} />
            </tbody>
          </table>
        </div>
      </div>
      {form.open && (
        <ServiceForm
          key={form.service?.id ?? 'new'}
          service={form.service}
          staff={staff}
          onClose={() => setForm({ open: false })}
          onSaved={() => {
            setForm({ open: false });
            load();
          }}
        />
      )}
    </section>
  );
}
