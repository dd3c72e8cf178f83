import { useEffect, useState, type FormEvent } from 'react';
import { staff as staffApi } from '../api';
import type { StaffMember, TimeRange } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';
import { breaksOf, dayMinutes, nextStretch, stretchProblems, validateWeek, weekFromApi, WEEKDAYS, type Week } from '../lib/hours';
import { formatNumber } from '../lib/format';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import Problems from './Problems';
import TimeInput from './TimeInput';

interface Props {
  member: StaffMember;
  onSaved?: () => void;
}

/** The weekly hours of one staff member: per weekday stretches from–to; the gaps are breaks. */
export default function HoursEditor({ member, onSaved }: Props) {
  const { t, lang } = useI18n();
  const { data: loaded, reload } = useLoad(() => staffApi.hours(member.id), [member.id]);
  const [week, setWeek] = useState<Week | null>(null);
  const { busy, problems, submit: send } = useSubmit();
  useEffect(() => {
    if (loaded) setWeek(weekFromApi(loaded));
  }, [loaded]);

  if (week === null) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }

  const setDay = (i: number, day: TimeRange[]) => setWeek(week.map((d, j) => (j === i ? day : d)));
  const setStretch = (i: number, k: number, patch: Partial<TimeRange>) =>
    setDay(
      i,
      (week[i] ?? []).map((s, j) => (j === k ? { ...s, ...patch } : s)),
    );
  const copyMonday = () => setWeek(week.map((d, j) => (j >= 1 && j <= 4 ? (week[0] ?? []).map((s) => ({ ...s })) : d)));
  const total = week.reduce((sum, d) => sum + (stretchProblems(d).length ? 0 : dayMinutes(d)), 0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await send(validateWeek(week), (hours) => staffApi.setHours(member.id, hours), t('staff.hours.saved'));
    if (r) {
      setWeek(weekFromApi(r.hours ?? []));
      reload();
      onSaved?.();
    }
  };

  const unset = week.every((d) => d.length === 0);

  return (
    <form className="form hours-editor" onSubmit={submit} noValidate>
      <h3 className="card-title">{t('staff.hours.title')}</h3>
      <p className="hint">{t('staff.hours.intro')}</p>
      {unset && <p className="notice">{t('staff.hours.unset')}</p>}
      <table className="hours-table">
        <tbody>
          {WEEKDAYS.map((weekday, i) => {
            const day = week[i] ?? [];
            const dayName = t(`weekdayLong.${weekday}` as MessageKey);
            const gaps = stretchProblems(day).length ? [] : breaksOf(day);
            return (
              <tr key={weekday} data-weekday={weekday}>
                <th scope="row">{dayName}</th>
                <td>
                  <div className="stretches">
                    {day.length === 0 && <span className="muted day-off">{t('staff.hours.dayOff')}</span>}
                    {day.map((s, k) => (
                      <span key={k} className="stretch">
                        <TimeInput
                          value={s.from}
                          aria-label={t('staff.hours.from', { day: dayName, n: k + 1 })}
                          onChange={(v) => setStretch(i, k, { from: v })}
                        />
                        <span aria-hidden="true">–</span>
                        <TimeInput
                          value={s.to}
                          aria-label={t('staff.hours.to', { day: dayName, n: k + 1 })}
                          onChange={(v) => setStretch(i, k, { to: v })}
                        />
                        <button
                          type="button"
                          className="btn btn-ghost btn-icon"
                          aria-label={t('staff.hours.remove', { day: dayName, n: k + 1 })}
                          title={t('common.delete')}
                          onClick={() => setDay(i, day.filter((_, j) => j !== k))}
                        >
                          <span aria-hidden="true">×</span>
                        </button>
                      </span>
                    ))}
                    <button
                      type="button"
                      className="btn btn-sm add-stretch"
                      aria-label={t('staff.hours.addFor', { day: dayName })}
                      onClick={() => setDay(i, [...day, nextStretch(day)])}
                    >
                      + {t('staff.hours.add')}
                    </button>
                  </div>
                  {gaps.length > 0 && (
                    <div className="muted small">{gaps.map((g) => t('staff.hours.break', { from: g.from, to: g.to })).join(', ')}</div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Problems problems={problems} />
      <div className="form-actions">
        <span className="muted small">{t('staff.hoursSummary', { hours: formatNumber(total / 60, lang, 1) })}</span>
        <button type="button" className="btn" onClick={copyMonday}>
          {t('staff.hours.copyMonday')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('staff.hours.save')}
        </button>
      </div>
    </form>
  );
}
