import { useState, type FormEvent } from 'react';
import { staff as staffApi } from '../api';
import type { Service, StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { formatPrice } from '../lib/format';
import { isHexColour, serviceRows, validateStaff, type StaffForm as Form, type StaffServiceRow } from '../lib/staff';
import { useSubmit } from '../lib/useSubmit';
import Modal from './Modal';
import Problems from './Problems';

interface Props {
  member?: StaffMember;
  services: Service[];
  /** The colour a new staff member starts with. */
  defaultColour: string;
  onClose: () => void;
  onSaved: () => void;
}

/** Add or edit a staff member: name, description, colour, hidden, Telegram chat, services with own terms. */
export default function StaffForm({ member, services, defaultColour, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<Form>(() => ({
    name: member?.name ?? '',
    description: member?.description ?? '',
    color: member?.color ?? defaultColour,
    hidden: member?.hidden ?? false,
    telegram_chat_id: member?.telegram_chat_id == null ? '' : String(member.telegram_chat_id),
    services: serviceRows(services, member),
  }));
  const { busy, problems, submit: send } = useSubmit();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setRow = (id: number, patch: Partial<StaffServiceRow>) =>
    set(
      'services',
      form.services.map((r) => (r.service_id === id ? { ...r, ...patch } : r)),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateStaff(form);
    const r = member
      ? await send(v, (value) => staffApi.update(member.id, value), t('staff.saved'))
      : await send(v, (value) => staffApi.create(value), t('staff.created'));
    if (r) onSaved();
  };

  return (
    <Modal title={member ? t('staff.editTitle') : t('staff.addTitle')} onClose={onClose} wide>
      <form className="form staff-form" onSubmit={submit} noValidate>
        <div className="form-row">
          <label className="field">
            <span>{t('staff.name')}</span>
            <input name="name" value={form.name} onChange={(e) => set('name', e.target.value)} required maxLength={100} />
          </label>
          <label className="field field-colour">
            <span>{t('staff.color')}</span>
            <input
              type="color"
              name="color"
              value={isHexColour(form.color) ? form.color : '#000000'}
              onChange={(e) => set('color', e.target.value)}
            />
          </label>
        </div>
        <label className="field">
          <span>{t('staff.description')}</span>
          <textarea rows={2} value={form.description} onChange={(e) => set('description', e.target.value)} maxLength={1000} />
        </label>
        <label className="field">
          <span>{t('staff.telegram')}</span>
          <input
            name="telegram_chat_id"
            inputMode="numeric"
            value={form.telegram_chat_id}
            onChange={(e) => set('telegram_chat_id', e.target.value)}
            aria-describedby="staff-telegram-hint"
          />
          <span className="hint" id="staff-telegram-hint">
            {t('staff.telegramHint')}
          </span>
        </label>
        <label className="check">
          <input type="checkbox" name="hidden" checked={form.hidden} onChange={(e) => set('hidden', e.target.checked)} />
          <span>{t('staff.hidden')}</span>
        </label>
        <fieldset className="staff-services">
          <legend>{t('staff.servicesLegend')}</legend>
          {services.length === 0 ? (
            <p className="muted">{t('staff.noServicesYet')}</p>
          ) : (
            <>
              <p className="hint">{t('staff.servicesHint')}</p>
              <ul className="staff-service-list">
                {services.map((svc) => {
                  const row = form.services.find((r) => r.service_id === svc.id);
                  if (!row) return null;
                  return (
                    <li key={svc.id} className={row.performs ? undefined : 'row-faded'}>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={row.performs}
                          onChange={(e) => setRow(svc.id, { performs: e.target.checked })}
                        />
                        <span>{svc.service_name}</span>
                      </label>
                      <input
                        className="own-duration"
                        inputMode="numeric"
                        value={row.duration}
                        disabled={!row.performs}
                        placeholder={`${svc.duration_minutes} ${t('common.minutes')}`}
                        aria-label={t('staff.ownDuration', { name: svc.service_name })}
                        onChange={(e) => setRow(svc.id, { duration: e.target.value })}
                      />
                      <input
                        className="own-price"
                        inputMode="decimal"
                        value={row.price}
                        disabled={!row.performs}
                        placeholder={svc.price === null ? t('services.noPrice') : formatPrice(svc.price, lang)}
                        aria-label={t('staff.ownPrice', { name: svc.service_name })}
                        onChange={(e) => setRow(svc.id, { price: e.target.value })}
                      />
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </fieldset>
        <Problems problems={problems} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
