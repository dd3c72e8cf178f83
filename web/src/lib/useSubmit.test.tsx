// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inAct, render } from './render.test-helper';
import { useSubmit, type Submit } from './useSubmit';

const toasts: string[] = [];
const errors: unknown[] = [];
vi.mock('./notify', () => ({
  toastSuccess: (text: string) => void toasts.push(text),
  showError: async (err: unknown) => void errors.push(err),
}));

afterEach(() => {
  toasts.length = 0;
  errors.length = 0;
});

let submit: Submit | null = null;
function Probe() {
  submit = useSubmit();
  return <button disabled={submit.busy}>save</button>;
}

describe('useSubmit', () => {
  it('is busy while the call runs, then toasts our own success text and returns the answer', async () => {
    const r = await render(<Probe />);
    let finish!: (v: { id: number; message: string }) => void;
    let running!: Promise<unknown>;
    await inAct(() => {
      running = submit!.run(() => new Promise<{ id: number; message: string }>((res) => (finish = res)), (a) => `Створено №${a.id}`);
    });
    expect(r.container.querySelector('button')!.disabled).toBe(true);
    await inAct(() => finish({ id: 7, message: 'Service created' }));
    await expect(running).resolves.toEqual({ id: 7, message: 'Service created' });
    expect(r.container.querySelector('button')!.disabled).toBe(false);
    expect(toasts).toEqual(['Створено №7']);
    await r.unmount();
  });

  it('shows the error, returns null and is ready again', async () => {
    const r = await render(<Probe />);
    const failure = new Error('refused');
    expect(await inAct(() => submit!.run(() => Promise.reject(failure), 'ok'))).toBeNull();
    expect(errors).toEqual([failure]);
    expect(toasts).toEqual([]);
    expect(r.container.querySelector('button')!.disabled).toBe(false);
    await r.unmount();
  });

  it('sends once on a double click', async () => {
    const r = await render(<Probe />);
    const call = vi.fn(async () => 'done');
    await inAct(() => Promise.all([submit!.run(call, 'ok'), submit!.run(call, 'ok')]));
    expect(call).toHaveBeenCalledTimes(1);
    await r.unmount();
  });
});

describe('useSubmit: submit', () => {
  it('shows the validation problems without sending, then clears them and sends a valid value', async () => {
    const r = await render(<Probe />);
    const send = vi.fn(async (v: { name: string }) => ({ id: 1, ...v }));
    const refused = await inAct(() => submit!.submit({ ok: false, problems: [{ key: 'valid.required', field: 'clients.name' }] }, send, 'ok'));
    expect(refused).toBeNull();
    expect(send).not.toHaveBeenCalled();
    expect(submit!.problems).toEqual([{ key: 'valid.required', field: 'clients.name' }]);

    const sent = await inAct(() => submit!.submit({ ok: true, value: { name: 'Олена' } }, send, 'Клієнта додано'));
    expect(sent).toEqual({ id: 1, name: 'Олена' });
    expect(submit!.problems).toEqual([]);
    expect(toasts).toEqual(['Клієнта додано']);
    await r.unmount();
  });
});
