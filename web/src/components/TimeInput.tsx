import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { parseTimeField } from '../lib/dateInput';

type Native = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'defaultValue'>;

interface Props extends Native {
  /** "HH:MM" (or what was typed, for the form's validation to refuse). */
  value: string;
  onChange: (value: string) => void;
}

/**
 * A time on the 24-hour clock ("09:30"), as both panel languages write it, whatever the browser's
 * locale (a browser in US English would show AM/PM in a native time field). "930" or "9.30" become
 * "09:30"; anything else is passed on as typed for the form's validation to refuse.
 */
export default function TimeInput({ value, onChange, onBlur, ...rest }: Props) {
  const [text, setText] = useState(value);
  useEffect(() => {
    setText((typed) => (parseTimeField(typed) === value ? typed : value));
  }, [value]);
  const invalid = text.trim() !== '' && parseTimeField(text) === null;
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="09:00"
      maxLength={5}
      className={`time-input${rest.className ? ` ${rest.className}` : ''}`}
      value={text}
      aria-invalid={invalid || undefined}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseTimeField(e.target.value) ?? e.target.value);
      }}
      onBlur={(e) => {
        const hhmm = parseTimeField(text);
        if (hhmm !== null) setText(hhmm);
        onBlur?.(e);
      }}
    />
  );
}
