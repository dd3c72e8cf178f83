import { useEffect, useState } from 'react';
import { clients as clientsApi, services as servicesApi, staff as staffApi } from '../api';
import type { Client, Service, StaffMember } from '../api/types';
import AppointmentForm from '../components/AppointmentForm';
import ClientForm from '../components/ClientForm';
import ClientHistory from '../components/ClientHistory';
import ImportClientsDialog from '../components/ImportClientsDialog';
import Pager from '../components/Pager';
import TableStatusRow from '../components/TableStatusRow';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { clientsCsvUrl } from '../lib/integrations';
import { useLiveRefresh } from '../lib/live';
import { confirmDialog, runAction, showError } from '../lib/notify';
import { DATE_ONLY, formatApiTime } from '../lib/time';
import { useDebounced } from '../lib/useDebounced';
import { useLoad, useStepBackFromEmptyPage } from '../lib/useLoad';

const LIMIT = 25;

type Dialog =
  | { kind: 'none' }
  | { kind: 'form'; client?: Client }
  | { kind: 'history'; client: Client }
  | { kind: 'import' }
  | { kind: 'book'; client: Client; serviceId: number | null; services: Service[]; staff: StaffMember[] };

export default function ClientsPage() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 300);
  const [offset, setOffset] = useState(0);
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const { data: page, loading, reload } = useLoad(() => clientsApi.list({ q, limit: LIMIT, offset }), [q, offset]);
  const items = page?.items ?? null;
  const total = page?.total ?? 0;
  useEffect(() => setOffset(0), [q]);
  useStepBackFromEmptyPage(page, offset, LIMIT, setOffset);
  useLiveRefresh(['client'], reload);

  const remove = async (c: Client) => {
    const ok = await confirmDialog({
      title: t('clients.deleteTitle', { name: c.name }),
      text: t('clients.deleteText'),
      confirmText: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    if (await runAction(() => clientsApi.remove(c.id), t('clients.deleted'))) reload();
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('clients.title')}</h1>
        <div className="head-actions">
          <a className="btn export-csv" href={clientsCsvUrl(query, lang)} download title={t('clients.exportCsvHint')}>
            {t('clients.exportCsv')}
          </a>
          <button type="button" className="btn import-csv" onClick={() => setDialog({ kind: 'import' })}>
            {t('clients.import')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'form' })}>
            + {t('clients.add')}
          </button>
        </div>
      </div>
      <div className="card">
        <div className="filters">
          <label className="field field-grow">
            <span>{t('clients.search')}</span>
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
        </div>
        <div className="table-wrap" aria-busy={loading}>
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">{t('clients.name')}</th>
                <th scope="col">{t('clients.phone')}</th>
                <th scope="col">{t('clients.inTelegram')}</th>
                <th scope="col">{t('clients.language')}</th>
                <th scope="col">{t('clients.created')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items?.map((c) => (
                <tr key={c.id}>
                  <td data-label={t('clients.name')}>
                    <button type="button" className="link" onClick={() => setDialog({ kind: 'history', client: c })}>
                      {c.name || t('common.none')}
                    </button>
                  </td>
                  <td className="nowrap" data-label={t('clients.phone')}>{c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : t('common.none')}</td>
                  {/* whether the bot can write to them; the raw id only on hover */}
                  <td data-label={t('clients.inTelegram')} className="cell-telegram">
                    {c.telegram_id ? <span title={t('clients.telegramIdIs', { id: c.telegram_id })}>{t('clients.inTelegramYes')}</span> : t('clients.inTelegramNo')}
                  </td>
                  <td data-label={t('clients.language')}>{c.language ? t(c.language === 'en' ? 'lang.enName' : 'lang.ukName') : t('common.none')}</td>
                  <td className="nowrap" data-label={t('clients.created')}>{formatApiTime(c.created_at, lang, timeZone, DATE_ONLY)}</td>
                  <td className="cell-actions">
                    <div className="row-actions">
                      <button type="button" className="btn btn-sm" onClick={() => setDialog({ kind: 'history', client: c })}>
                        {t('clients.history')}
                      </button>
                      <button type="button" className="btn btn-sm" onClick={() => setDialog({ kind: 'form', client: c })}>
                        {t('common.edit')}
                      </button>
                      <button type="button" className="btn btn-sm btn-danger" onClick={() => void remove(c)}>
                        {t('common.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
              <TableStatusRow columns={6} items={items} loading={loading} />
            </tbody>
          </table>
        </div>
        <Pager total={total} limit={LIMIT} offset={offset} onChange={setOffset} />
      </div>
      {dialog.kind === 'form' && (
        <ClientForm
          client={dialog.client}
          onClose={() => setDialog({ kind: 'none' })}
          onSaved={() => {
            setDialog({ kind: 'none' });
            reload();
          }}
        />
      )}
      {dialog.kind === 'import' && (
        <ImportClientsDialog
          onClose={() => setDialog({ kind: 'none' })}
          onImported={() => {
            setDialog({ kind: 'none' });
            reload();
          }}
        />
      )}
      {dialog.kind === 'history' && (
        <ClientHistory
          client={dialog.client}
          onClose={() => setDialog({ kind: 'none' })}
          onBookAgain={(client, serviceId) => {
            Promise.all([servicesApi.list(), staffApi.list()])
              .then(([services, staff]) => setDialog({ kind: 'book', client, serviceId, services, staff }))
              .catch((err: unknown) => void showError(err));
          }}
        />
      )}
      {dialog.kind === 'book' && (
        <AppointmentForm
          client={dialog.client}
          serviceId={dialog.serviceId ?? undefined}
          services={dialog.services}
          staff={dialog.staff}
          onClose={() => setDialog({ kind: 'none' })}
          onSaved={() => setDialog({ kind: 'none' })}
        />
      )}
    </section>
  );
}
