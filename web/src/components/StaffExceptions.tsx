import { useState, type FormEvent } from 'react';
import { staff as staffApi } from '../api';
import type { StaffException, StaffMember, TimeRange } from '../api/types';
import { useI18n } from '../i18n';
import { exceptionKind, nextStretch, validateException, type ExceptionForm, type ExceptionKind } from '../lib/hours';
import { confirmDialog, runAction } from '../lib/notify';
import { DATE_ONLY, formatApiTime } from '../lib/time';
import { useApp } from '../lib/context';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import Problems from './Problems';
import DateInput from './DateInput';
import TimeInput from './TimeInput';

interface Props {
  member: StaffMember;
  /** The default date of a new exception (today in the business's zone). */
  today: string;
}

const KINDS: ExceptionKind[] = ['day_off', 'vacation', 'hours'];

/** A staff member's dated exceptions (day off, vacation, other hours): listed, added, deleted. */
export default function StaffExceptions({ member, today }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const { data: items, loading, reload } = useLoad(() => staffApi.exceptions(member.id), [member.id]);
  const [form, setForm] = useState<ExceptionForm>({ kind: 'day_off', date_from: today, date_to: today, hours: [{ from: '10:00', to: '14:00' }], note: '' });
  const { busy, problems, submit: send } = useSubmit();
  const set = <K extends keyof ExceptionForm>(key: K, value: ExceptionForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setHours = (hours: TimeRange[]) => set('hours', hours);

  const day = (d: string) => formatApiTime(d, lang, timeZone, DATE_ONLY);
  const when = (e: StaffException) => (e.date_to > e.date_from ? t('staff.exception.range', { from: day(e.date_from), to: day(e.date_to) }) : day(e.date_from));
  const what = (e: StaffException) => {
    const kind = exceptionKind(e);
    const hours = e.hours.map((h) => `${h.from}–${h.to}`).join(', ');
    return kind === 'hours' ? `${t('staff.exception.hours')}: ${hours}` : t(`staff.exception.${kind}`);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await send(validateException(form), (value) => staffApi.addException(member.id, value), t('staff.exception.added'));
    if (r) {
      set('note', '');
      reload();
    }
  };

  const remove = async (e: StaffException) => {
    const ok = await confirmDialog({ title: t('staff.exception.deleteTitle', { when: when(e) }), confirmText: t('common.delete'), danger: true });
    if (ok && (await runAction(() => staffApi.removeException(member.id, e.id), t('staff.exception.deleted')))) reload();
  };

  return (
    <section className="staff-exceptions" aria-labelledby={`exc-${member.id}`}>
      <h3 className="card-title" id={`exc-${member.id}`}>
        {t('staff.exceptions.title')}
      </h3>
      <div className="table-wrap" aria-busy={loading}>
        {items !== null && items.length === 0 ? (
          <p className="muted">{t('staff.exceptions.empty')}</p>
        ) : (
          <table className="table exceptions-table">
            <thead>
              <tr>
                <th scope="col">{t('staff.exception.when')}</th>
                <th scope="col">{t('staff.exception.what')}</th>
                <th scope="col">{t('staff.exception.note')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(items ?? []).map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{when(e)}</td>
                  <td>{what(e)}</td>
                  <td>{e.note || t('common.none')}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-sm btn-danger"
                      aria-label={t('staff.exception.delete', { when: when(e) })}
                      onClick={() => void remove(e)}
                    >
                      {t('common.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <form className="form exception-form" onSubmit={submit} noValidate>
        <fieldset className="weekdays">
          <legend>{t('staff.exception.kind')}</legend>
          {KINDS.map((k) => (
            <label key={k} className="day-check">
              <input type="radio" name={`exc-kind-${member.id}`} value={k} checked={form.kind === k} onChange={() => set('kind', k)} />
              <span>{t(`staff.exception.${k}`)}</span>
            </label>
          ))}
        </fieldset>
        <div className="form-row">
          <label className="field">
            <span>{form.kind === 'vacation' ? t('staff.exception.dateFrom') : t('staff.exception.date')}</span>
            <DateInput name="date_from" value={form.date_from} onChange={(v) => set('date_from', v)} required />
          </label>
          {form.kind === 'vacation' && (
            <label className="field">
              <span>{t('staff.exception.dateTo')}</span>
              <DateInput name="date_to" value={form.date_to} onChange={(v) => set('date_to', v)} required />
            </label>
          )}
        </div>
        {form.kind === 'hours' && (
          <div className="stretches">
            {form.hours.map((h, k) => (
              <span key={k} className="stretch">
                <TimeInput
                  value={h.from}
                  aria-label={t('staff.exception.hoursStretch', { n: k + 1, edge: t('staff.exception.edgeFrom') })}
                  onChange={(v) => setHours(form.hours.map((x, j) => (j === k ? { ...x, from: v } : x)))}
                />
                <span aria-hidden="true">–</span>
                <TimeInput
                  value={h.to}
                  aria-label={t('staff.exception.hoursStretch', { n: k + 1, edge: t('staff.exception.edgeTo') })}
                  onChange={(v) => setHours(form.hours.map((x, j) => (j === k ? { ...x, to: v } : x)))}
                />
                <button
                  type="button"
                  className="btn btn-ghost btn-icon"
                  aria-label={t('staff.hours.remove', { day: t('staff.exception.hours'), n: k + 1 })}
                  onClick={() => setHours(form.hours.filter((_, j) => j !== k))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </span>
            ))}
            <button type="button" className="btn btn-sm" onClick={() => setHours([...form.hours, nextStretch(form.hours)])}>
              + {t('staff.hours.add')}
            </button>
          </div>
        )}
        <label className="field">
          <span>{t('staff.exception.note')}</span>
          <input name="note" value={form.note} onChange={(e) => set('note', e.target.value)} maxLength={200} />
        </label>
        <Problems problems={problems} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('staff.exception.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
