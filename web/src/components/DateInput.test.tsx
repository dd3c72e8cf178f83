// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n';
import { render } from '../lib/render.test-helper';
import DateInput from './DateInput';
import TimeInput from './TimeInput';

/** Types into a React-controlled input (the value setter React listens to, then an input event). */
function type(input: HTMLInputElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  setter.call(input, text);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

afterEach(() => setLang('uk'));

describe('DateInput', () => {
  it('shows the date the panel language’s way and follows the switch', async () => {
    const r = await render(<DateInput name="d" value="2026-11-30" onChange={() => undefined} />);
    const input = r.container.querySelector<HTMLInputElement>('input[name=d]')!;
    expect(input.type).toBe('text');
    expect(input.value).toBe('30.11.2026');
    await act(async () => setLang('en'));
    expect(input.value).toBe('30/11/2026');
    await r.unmount();
  });

  it('passes on a typed date as YYYY-MM-DD, half-typed text not at all', async () => {
    const got: string[] = [];
    const r = await render(<DateInput name="d" value="" onChange={(v) => got.push(v)} />);
    const input = r.container.querySelector<HTMLInputElement>('input[name=d]')!;
    await act(async () => type(input, '1.12.20'));
    expect(got).toEqual([]);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await act(async () => type(input, '1.12.2026'));
    expect(got).toEqual(['2026-12-01']);
    await r.unmount();
  });
});

describe('TimeInput', () => {
  it('is a 24-hour field that tidies what was typed', async () => {
    const got: string[] = [];
    const r = await render(<TimeInput name="t" value="" onChange={(v) => got.push(v)} />);
    const input = r.container.querySelector<HTMLInputElement>('input[name=t]')!;
    await act(async () => type(input, '9.30'));
    expect(got).toEqual(['09:30']);
    await r.unmount();
  });
});
