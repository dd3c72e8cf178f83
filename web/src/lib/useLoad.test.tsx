// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush, inAct, render } from './render.test-helper';
import { useLoad, type Loaded } from './useLoad';

const shown: unknown[] = [];
vi.mock('./notify', () => ({ showError: async (err: unknown) => void shown.push(err) }));

afterEach(() => {
  shown.length = 0;
});

/** A promise resolved or rejected from the test. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let last: Loaded<string> | null = null;
function Probe({ load, query }: { load: (q: string) => Promise<string>; query: string }) {
  last = useLoad(() => load(query), [query]);
  return <p>{last.loading ? 'loading' : (last.data ?? 'none')}</p>;
}

describe('useLoad', () => {
  it('is loading until the first answer, then holds the data', async () => {
    const answer = deferred<string>();
    const r = await render(<Probe load={() => answer.promise} query="a" />);
    expect(r.container.textContent).toBe('loading');
    answer.resolve('Олена');
    await flush();
    expect(r.container.textContent).toBe('Олена');
    expect(last?.failed).toBe(false);
    await r.unmount();
  });

  it('asks again when an input changes and drops the answer to the old input that comes back late', async () => {
    const answers = new Map([
      ['a', deferred<string>()],
      ['b', deferred<string>()],
    ]);
    const load = vi.fn((q: string) => answers.get(q)!.promise);
    const r = await render(<Probe load={load} query="a" />);
    await r.rerender(<Probe load={load} query="b" />);
    expect(load.mock.calls.map((c) => c[0])).toEqual(['a', 'b']);
    answers.get('b')!.resolve('answer to b');
    await flush();
    answers.get('a')!.resolve('answer to a');
    await flush();
    expect(r.container.textContent).toBe('answer to b');
    await r.unmount();
  });

  it('reload() asks again with the same input', async () => {
    let n = 0;
    const r = await render(<Probe load={async () => `call ${++n}`} query="a" />);
    await flush();
    expect(r.container.textContent).toBe('call 1');
    await inAct(() => last!.reload());
    await flush();
    expect(r.container.textContent).toBe('call 2');
    await r.unmount();
  });

  it('shows a failure once and keeps the last good data', async () => {
    let fail = false;
    const r = await render(<Probe load={async () => (fail ? Promise.reject(new Error('down')) : 'kept')} query="a" />);
    await flush();
    fail = true;
    await inAct(() => last!.reload());
    await flush();
    expect(r.container.textContent).toBe('kept');
    expect(last?.failed).toBe(true);
    expect(shown).toHaveLength(1);
    await r.unmount();
  });
});
