import { useMemo, useState } from 'react';
import { useI18n } from '../i18n';
import { allTimeZones, searchZones, zoneLabel } from '../lib/timezones';

interface Props {
  value: string;
  onChange: (zone: string) => void;
}

/** The business's time zone: a search box over every zone the browser knows, and the list it narrows. */
export default function TimeZonePicker({ value, onChange }: Props) {
  const { t } = useI18n();
  const zones = useMemo(allTimeZones, []);
  const [query, setQuery] = useState('');
  const found = useMemo(() => searchZones(zones, query, value || undefined), [zones, query, value]);

  return (
    <div className="field tz-picker" role="group" aria-labelledby="tz-label">
      <span id="tz-label">{t('settings.timezone')}</span>
      <input
        type="search"
        name="timezone_search"
        value={query}
        placeholder={t('settings.tzSearch')}
        aria-label={t('settings.tzSearchLabel')}
        autoComplete="off"
        onChange={(e) => {
          const q = e.target.value;
          setQuery(q);
          // One match left: choose it.
          const left = searchZones(zones, q);
          if (q.trim() && left.length === 1 && left[0]) onChange(left[0]);
        }}
      />
      <select name="timezone" size={6} value={value} aria-label={t('settings.timezone')} onChange={(e) => onChange(e.target.value)}>
        {found.map((z) => (
          <option key={z} value={z}>
            {zoneLabel(z)}
          </option>
        ))}
      </select>
      <span className="hint">{t('settings.tzHint')}</span>
    </div>
  );
}
