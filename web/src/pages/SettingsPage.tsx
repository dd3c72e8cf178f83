import { useState, type FormEvent } from 'react';
import { settings as settingsApi } from '../api';
import type { Settings } from '../api/types';
import ApiTokensSection from '../components/ApiTokensSection';
import PasswordSection from '../components/PasswordSection';
import CalendarFeedSection from '../components/CalendarFeedSection';
import Problems from '../components/Problems';
import TelegramSection from '../components/TelegramSection';
import TimeZonePicker from '../components/TimeZonePicker';
import WebhooksSection from '../components/WebhooksSection';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { DURATION_UNITS, MAX_REMINDERS, splitMinutes, type DurationField, type DurationUnit } from '../lib/durations';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import {
  DEFAULT_HORIZON_DAYS,
  MAX_CHANGE_WINDOW_HOURS,
  MAX_HORIZON_DAYS,
  MIN_HORIZON_DAYS,
  validateSettings,
  type SettingsForm,
} from '../lib/validation';

function toForm(s: Settings): SettingsForm {
  return {
    business_name: s.business_name ?? '',
    address: s.address ?? '',
    phone: s.phone ?? '',
    hours: s.hours ?? '',
    timezone: s.timezone ?? '',
    min_notice_minutes: String(s.min_notice_minutes ?? 0),
    max_active_bookings: String(s.max_active_bookings ?? 3),
    booking_horizon_days: String(s.booking_horizon_days ?? DEFAULT_HORIZON_DAYS),
    change_window_hours: String(s.change_window_hours ?? 0),
    auto_confirm: Boolean(s.auto_confirm),
    reminders: (s.reminder_offsets_minutes ?? []).map(splitMinutes),
    thank_you: Boolean(s.thank_you),
    auto_cancel_enabled: s.auto_cancel_pending_minutes != null,
    auto_cancel: s.auto_cancel_pending_minutes != null ? splitMinutes(s.auto_cancel_pending_minutes) : DEFAULT_AUTO_CANCEL,
    // --- comeback ---
    daytime_from: s.daytime_from,
    daytime_to: s.daytime_to,
    ask_rating: Boolean(s.ask_rating),
    rating_delay_hours: String(s.rating_delay_hours ?? 3),
  };
}

/** What the auto-cancel field shows while it is off (used once it is switched on). */
const DEFAULT_AUTO_CANCEL: DurationField = { amount: '2', unit: 'hours' };
const NEW_REMINDER: DurationField = { amount: '', unit: 'hours' };

interface DurationInputProps {
  value: DurationField;
  onChange: (v: DurationField) => void;
  amountLabel: string;
  unitLabel: string;
  disabled?: boolean;
  /** The id of the hint that describes the input. */
  describedBy?: string;
  name?: string;
}

/** A whole number and its unit (minutes or hours). */
function DurationInput({ value, onChange, amountLabel, unitLabel, disabled, describedBy, name }: DurationInputProps) {
  const { t } = useI18n();
  return (
    <span className="duration-input">
      <input
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        name={name ? `${name}-amount` : undefined}
        value={value.amount}
        disabled={disabled}
        aria-label={amountLabel}
        aria-describedby={describedBy}
        onChange={(e) => onChange({ ...value, amount: e.target.value })}
      />
      <select
        name={name ? `${name}-unit` : undefined}
        value={value.unit}
        disabled={disabled}
        aria-label={unitLabel}
        onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })}
      >
        {DURATION_UNITS.map((u) => (
          <option key={u} value={u}>
            {t(`unit.${u}`)}
          </option>
        ))}
      </select>
    </span>
  );
}

export default function SettingsPage() {
  const { t } = useI18n();
  const { settings, setSettings } = useApp();
  const [form, setForm] = useState<SettingsForm | null>(settings ? toForm(settings) : null);
  const { busy, problems, submit: send } = useSubmit();

  // Always start from the server's current values.
  useLoad(
    async () => {
      const s = await settingsApi.get();
      setSettings(s);
      setForm(toForm(s));
      return s;
    },
    [setSettings],
    { errorTitle: t('settings.loadError') },
  );

  if (!form) {
    return (
      <section className="page">
        <h1>{t('settings.title')}</h1>
        <p role="status">{t('common.loading')}</p>
      </section>
    );
  }

  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) =>
    setForm((f) => (f ? { ...f, [key]: value } : f));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await send(validateSettings(form), (value) => settingsApi.update(value), t('settings.saved'));
    if (r?.settings) {
      setSettings(r.settings);
      setForm(toForm(r.settings));
    }
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('settings.title')}</h1>
      </div>
      <form className="settings-form" onSubmit={submit} noValidate>
        <fieldset className="card">
          <legend>{t('settings.business')}</legend>
          <label className="field">
            <span>{t('settings.businessName')}</span>
            <input value={form.business_name} onChange={(e) => set('business_name', e.target.value)} required />
          </label>
          <label className="field">
            <span>{t('settings.address')}</span>
            <input value={form.address} onChange={(e) => set('address', e.target.value)} />
          </label>
          <label className="field">
            <span>{t('settings.phone')}</span>
            <input type="tel" value={form.phone} onChange={(e) => set('phone', e.target.value)} />
          </label>
          <label className="field">
            <span>{t('settings.hours')}</span>
            <textarea rows={3} value={form.hours} onChange={(e) => set('hours', e.target.value)} />
          </label>
          <TimeZonePicker value={form.timezone} onChange={(z) => set('timezone', z)} />
        </fieldset>

        <fieldset className="card">
          <legend>{t('settings.booking')}</legend>
          <div className="form-row">
            <label className="field">
              <span>{t('settings.minNotice')}</span>
              <input
                type="number"
                inputMode="numeric"
                min={0}
                value={form.min_notice_minutes}
                onChange={(e) => set('min_notice_minutes', e.target.value)}
              />
            </label>
            <label className="field">
              <span>{t('settings.maxActive')}</span>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                value={form.max_active_bookings}
                onChange={(e) => set('max_active_bookings', e.target.value)}
              />
            </label>
          </div>
          <div className="field">
            <span>
              <label htmlFor="booking-horizon">{t('settings.horizon')}</label>
            </span>
            <input
              id="booking-horizon"
              type="number"
              inputMode="numeric"
              name="booking_horizon_days"
              min={MIN_HORIZON_DAYS}
              max={MAX_HORIZON_DAYS}
              step={1}
              value={form.booking_horizon_days}
              aria-describedby="horizon-hint"
              onChange={(e) => set('booking_horizon_days', e.target.value)}
            />
            <span id="horizon-hint" className="hint">
              {t('settings.horizonHint')}
            </span>
          </div>
          <div className="field">
            <span>
              <label htmlFor="change-window">{t('settings.changeWindow')}</label>
            </span>
            <input
              id="change-window"
              type="number"
              inputMode="numeric"
              name="change_window_hours"
              min={0}
              max={MAX_CHANGE_WINDOW_HOURS}
              step={1}
              value={form.change_window_hours}
              aria-describedby="change-window-hint"
              onChange={(e) => set('change_window_hours', e.target.value)}
            />
            <span id="change-window-hint" className="hint">
              {t('settings.changeWindowHint')}
            </span>
          </div>
          <label className="check">
            <input type="checkbox" checked={form.auto_confirm} onChange={(e) => set('auto_confirm', e.target.checked)} />
            <span>{t('settings.autoConfirm')}</span>
          </label>
        </fieldset>

        <fieldset className="card">
          <legend>{t('settings.notices')}</legend>
          <div className="field" role="group" aria-labelledby="reminders-label">
            <span id="reminders-label">{t('settings.reminders')}</span>
            {form.reminders.length === 0 && <p className="muted small reminders-none">{t('settings.remindersNone')}</p>}
            <ul className="reminder-list">
              {form.reminders.map((r, i) => (
                <li key={i} className="reminder-row">
                  <DurationInput
                    name={`reminder-${i + 1}`}
                    value={r}
                    amountLabel={t('settings.reminderAmount', { n: i + 1 })}
                    unitLabel={t('settings.reminderUnit', { n: i + 1 })}
                    describedBy="reminders-hint"
                    onChange={(v) => set('reminders', form.reminders.map((x, j) => (j === i ? v : x)))}
                  />
                  <span className="muted">{t('settings.reminderBefore')}</span>
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost btn-remove"
                    aria-label={t('settings.reminderRemove', { n: i + 1 })}
                    title={t('settings.reminderRemove', { n: i + 1 })}
                    onClick={() => set('reminders', form.reminders.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <div>
              <button
                type="button"
                className="btn btn-sm"
                disabled={form.reminders.length >= MAX_REMINDERS}
                onClick={() => set('reminders', [...form.reminders, NEW_REMINDER])}
              >
                + {t('settings.reminderAdd')}
              </button>
            </div>
            <span id="reminders-hint" className="hint">
              {t('settings.remindersHint')}
            </span>
          </div>

          <div className="field">
            <label className="check">
              <input
                type="checkbox"
                name="thank_you"
                checked={form.thank_you}
                onChange={(e) => set('thank_you', e.target.checked)}
                aria-describedby="thank-you-hint"
              />
              <span>{t('settings.thankYou')}</span>
            </label>
            <span id="thank-you-hint" className="hint">
              {t('settings.thankYouHint')}
            </span>
          </div>

          <div className="field">
            <label className="check">
              <input
                type="checkbox"
                name="auto_cancel_enabled"
                checked={form.auto_cancel_enabled}
                onChange={(e) => set('auto_cancel_enabled', e.target.checked)}
              />
              <span>{t('settings.autoCancel')}</span>
            </label>
            <div className={`auto-cancel${form.auto_cancel_enabled ? '' : ' is-off'}`}>
              <span aria-hidden="true">{t('settings.autoCancelAmount')}</span>
              <DurationInput
                name="auto_cancel"
                value={form.auto_cancel}
                disabled={!form.auto_cancel_enabled}
                amountLabel={t('settings.autoCancelAmount')}
                unitLabel={t('settings.autoCancelUnit')}
                describedBy="auto-cancel-hint"
                onChange={(v) => set('auto_cancel', v)}
              />
              <span className="muted">{t('settings.reminderBefore')}</span>
            </div>
            <span id="auto-cancel-hint" className="hint">
              {form.auto_cancel_enabled ? t('settings.autoCancelHint') : t('settings.autoCancelOff')}
            </span>
          </div>
        </fieldset>

        {/* --- comeback --- */}
        <fieldset className="card">
          <legend>{t('settings.comebackTitle')}</legend>
          <div className="form-row">
            <label className="field">
              <span>{t('settings.daytimeFrom')}</span>
              <input
                type="time"
                name="daytime_from"
                value={form.daytime_from ?? ''}
                onChange={(e) => set('daytime_from', e.target.value)}
                aria-describedby="daytime-hint"
              />
            </label>
            <label className="field">
              <span>{t('settings.daytimeTo')}</span>
              <input
                type="time"
                name="daytime_to"
                value={form.daytime_to ?? ''}
                onChange={(e) => set('daytime_to', e.target.value)}
                aria-describedby="daytime-hint"
              />
            </label>
          </div>
          <span id="daytime-hint" className="hint">
            {t('settings.daytimeHint')}
          </span>
          <div className="field">
            <label className="check">
              <input
                type="checkbox"
                name="ask_rating"
                checked={Boolean(form.ask_rating)}
                onChange={(e) => set('ask_rating', e.target.checked)}
              />
              <span>{t('settings.askRating')}</span>
            </label>
          </div>
          <label className="field">
            <span>{t('settings.ratingDelay')}</span>
            <input
              type="number"
              name="rating_delay_hours"
              inputMode="numeric"
              min={0}
              max={72}
              value={form.rating_delay_hours ?? ''}
              disabled={!form.ask_rating}
              onChange={(e) => set('rating_delay_hours', e.target.value)}
            />
          </label>
        </fieldset>

        <Problems problems={problems} />
        <div className="form-actions form-actions-start">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      <div className="settings-form integrations">
        <TelegramSection />
        <CalendarFeedSection />
        <WebhooksSection />
        <ApiTokensSection />
        <PasswordSection />
      </div>
    </section>
  );
}
