// The one way a form or an action button sends something: the validation problems shown in the form,
// busy while it runs (the button disabled), the error shown in a dialog (translated by the server's
// code), our own success text in a toast.
import { useCallback, useRef, useState } from 'react';
import { showError, toastSuccess } from './notify';
import type { Problem, Validated } from './validation';

type SuccessText<T> = string | ((answer: T) => string);

export interface Submit {
  /** A call is running: disable the submit button, show "Saving…". */
  busy: boolean;
  /** What the last validation found (shown with <Problems>); empty once it passed. */
  problems: Problem[];
  /**
   * Runs `call` unless one is already running. Resolves to its answer after a success toast, or to
   * null after showing the error (or when a call was already running).
   */
  run: <T>(call: () => Promise<T>, successText: SuccessText<T>) => Promise<T | null>;
  /** Shows the problems of a failed validation; otherwise clears them and sends the value with `run`. */
  submit: <V, T>(validated: Validated<V>, send: (value: V) => Promise<T>, successText: SuccessText<T>) => Promise<T | null>;
}

export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const running = useRef(false);

  const run = useCallback(async <T,>(call: () => Promise<T>, successText: SuccessText<T>) => {
    if (running.current) return null; // a double click sends once
    running.current = true;
    setBusy(true);
    try {
      const answer = await call();
      toastSuccess(typeof successText === 'function' ? successText(answer) : successText);
      return answer;
    } catch (err) {
      await showError(err);
      return null;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  const submit = useCallback(
    async <V, T>(validated: Validated<V>, send: (value: V) => Promise<T>, successText: SuccessText<T>) => {
      if (!validated.ok) {
        setProblems(validated.problems);
        return null;
      }
      setProblems([]);
      return run(() => send(validated.value), successText);
    },
    [run],
  );

  return { busy, problems, run, submit };
}
