// A secret the server shows only once (an API token, a webhook's signing secret): a copy field, the
// warning that it will not be shown again, and a button that puts it away.
import type { ReactNode } from 'react';
import CopyField from './CopyField';

interface Props {
  /** The box's class, which the browser tests find it by. */
  className: string;
  title: string;
  label: string;
  value: string;
  /** The copy field's `name`. */
  name: string;
  hint: string;
  /** More to say under the hint (e.g. how the secret signs deliveries). */
  children?: ReactNode;
  doneLabel: string;
  doneClassName: string;
  onDone: () => void;
}

export default function ShownOnce({ className, title, label, value, name, hint, children, doneLabel, doneClassName, onDone }: Props) {
  return (
    <div className={`once-box ${className}`} role="status">
      <h3>{title}</h3>
      <CopyField label={label} value={value} name={name} />
      <p className="hint">{hint}</p>
      {children}
      <div>
        <button type="button" className={`btn btn-sm ${doneClassName}`} onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </div>
  );
}
