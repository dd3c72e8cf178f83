import { useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';

interface Props {
  label: string;
  value: string;
  /** A class for the read-only input (e.g. to find it in tests). */
  name?: string;
}

/** A read-only text (a secret link, a signing secret) with a "Copy" button. */
export default function CopyField({ label, value, name }: Props) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    let ok = false;
    try {
      // The Clipboard API needs a secure context (https or localhost); fall back to the old command.
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(value);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok && input.current) {
      input.current.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    setState(ok ? 'copied' : 'failed');
  };

  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          id={id}
          ref={input}
          name={name}
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="btn" onClick={() => void copy()}>
          {state === 'copied' ? t('copy.copied') : t('copy.copy')}
        </button>
      </div>
      <span className={state === 'failed' ? 'hint form-error-text' : 'sr-only'} role="status">
        {state === 'failed' ? t('copy.failed') : state === 'copied' ? t('copy.copied') : ''}
      </span>
    </div>
  );
}
