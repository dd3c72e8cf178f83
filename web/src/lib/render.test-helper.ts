// Renders React into happy-dom for the hook and component tests (no testing library needed).
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  rerender: (node: ReactNode) => Promise<void>;
  unmount: () => Promise<void>;
}

export async function render(node: ReactNode, wrap: (child: ReactNode) => ReactNode = (c) => c): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.append(container);
  let root: Root | null = null;
  await act(async () => {
    root = createRoot(container);
    root.render(wrap(node));
  });
  return {
    container,
    rerender: (next) => act(async () => root!.render(wrap(next))),
    unmount: async () => {
      await act(async () => root!.unmount());
      container.remove();
    },
  };
}

/** Lets pending promises settle inside act(). */
export async function flush(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

/** Runs `fn` (which updates state) inside act() and returns its result. */
export async function inAct<T>(fn: () => T | Promise<T>): Promise<T> {
  let out!: T;
  await act(async () => {
    out = await fn();
  });
  return out;
}
