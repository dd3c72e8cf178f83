import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import { useI18n } from '../i18n';
import Icon from './Icon';
import { dateFieldPattern, formatDateField, parseDateField } from '../lib/dateInput';

type Native = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'defaultValue'>;

interface Props extends Native {
  /** "YYYY-MM-DD", or "" for none. */
  value: string;
  /** A real date typed or picked ("YYYY-MM-DD"), or "" once cleared; half-typed text is not passed on. */
  onChange: (value: string) => void;
}

/**
 * A date field in the panel's language (uk "30.11.2026", en "30/11/2026"; ISO typed is fine too),
 * whatever the browser's own locale, with a button opening the browser's date picker.
 */
export default function DateInput({ value, onChange, className, onBlur, ...rest }: Props) {
  const { t, lang } = useI18n();
  const [text, setText] = useState(() => formatDateField(value, lang));
  const picker = useRef<HTMLInputElement>(null);
  // A value set from outside (or a language switch) shows in the language's form, unless it is what was typed.
  const shownLang = useRef(lang);
  useEffect(() => {
    const switched = shownLang.current !== lang;
    shownLang.current = lang;
    setText((typed) => (!switched && value !== '' && parseDateField(typed) === value ? typed : formatDateField(value, lang)));
  }, [value, lang]);
  const invalid = text.trim() !== '' && parseDateField(text) === null;

  return (
    <span className="date-input">
      <input
        {...rest}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className={className}
        value={text}
        placeholder={dateFieldPattern(lang)}
        aria-invalid={invalid || undefined}
        onChange={(e) => {
          const typed = e.target.value;
          setText(typed);
          if (typed.trim() === '') onChange('');
          else {
            const iso = parseDateField(typed);
            if (iso !== null) onChange(iso);
          }
        }}
        onBlur={(e) => {
          const iso = parseDateField(text);
          if (iso !== null) setText(formatDateField(iso, lang));
          onBlur?.(e);
        }}
      />
      <button
        type="button"
        className="date-input-pick"
        aria-label={t('common.pickDate')}
        title={t('common.pickDate')}
        disabled={rest.disabled}
        onClick={() => {
          const el = picker.current;
          if (!el) return;
          try {
            el.showPicker();
          } catch {
            el.focus();
          }
        }}
      >
        <Icon name="calendar" />
      </button>
      <input
        ref={picker}
        type="date"
        className="date-input-native"
        tabIndex={-1}
        aria-hidden="true"
        value={parseDateField(text) ?? value}
        onChange={(e) => {
          setText(formatDateField(e.target.value, lang));
          onChange(e.target.value);
        }}
      />
    </span>
  );
}
