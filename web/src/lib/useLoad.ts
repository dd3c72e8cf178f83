// The one way a page or dialog loads what it shows: the latest request wins (an answer that comes back
// after the inputs changed is dropped), failures are shown once and the last good data stays.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { showError } from './notify';

export interface Loaded<T> {
  /** The last data that arrived; null until the first answer. */
  data: T | null;
  /** A request is running (the first one or a reload). */
  loading: boolean;
  /** The last request failed (and was shown); the data, if any, is the one from before. */
  failed: boolean;
  /** Asks again with the same inputs (e.g. on a live event or after a save). */
  reload: () => void;
  /** Replaces the data locally (e.g. with what a save answered). */
  setData: (data: T) => void;
}

export interface LoadOptions {
  /** The error dialog's title (default: the generic one). */
  errorTitle?: string;
  /** Do not show failures (the caller shows its own). */
  quiet?: boolean;
}

/**
 * Runs `load` now and whenever one of `deps` changes or `reload()` is called. `load` itself is not a
 * dependency (a new arrow each render is fine): list in `deps` everything it reads.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList, options: LoadOptions = {}): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey((k) => k + 1), []);
  const latest = useRef({ load, options });
  latest.current = { load, options };

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    latest.current
      .load()
      .then((value) => {
        if (cancelled) return;
        setData(() => value);
        setFailed(false);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setFailed(true);
        const { errorTitle, quiet } = latest.current.options;
        if (!quiet) void showError(err, errorTitle);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
    // The caller's deps, plus reload(); `load` and the options are read through the ref.
  }, [...deps, reloadKey]);

  const replace = useCallback((value: T) => setData(() => value), []);
  return { data, loading, failed, reload, setData: replace };
}

/**
 * A paged list whose last page emptied (e.g. its last row was deleted or left the filter) steps back
 * to the last page that has rows.
 */
export function useStepBackFromEmptyPage(
  page: { items: readonly unknown[]; total: number } | null,
  offset: number,
  limit: number,
  setOffset: (offset: number) => void,
): void {
  useEffect(() => {
    if (page && page.items.length === 0 && offset > 0 && page.total > 0) setOffset(Math.max(0, page.total - limit));
  }, [page, offset, limit, setOffset]);
}
