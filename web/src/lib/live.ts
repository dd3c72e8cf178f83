// Live updates: server-sent events from /api/events, or polling every 15 s when that is absent.
import { useEffect, useRef } from 'react';
import type { LiveEvent, LiveKind } from '../api/types';

export type LiveMessage = LiveEvent | { kind: 'poll' };
export type LiveMode = 'connecting' | 'live' | 'polling';

type Listener = (m: LiveMessage) => void;
const listeners = new Set<Listener>();

export function emitLive(m: LiveMessage): void {
  listeners.forEach((l) => l(m));
}

/** Parses one SSE message's data; null when it is not a `{kind, id}` object. */
export function parseLiveEvent(data: string): LiveEvent | null {
  try {
    const v: unknown = JSON.parse(data);
    if (v && typeof v === 'object' && 'kind' in v) {
      const kind = (v as { kind: unknown }).kind;
      const kinds: LiveKind[] = ['appointment', 'slot', 'service', 'client', 'settings', 'notice', 'staff'];
      if (typeof kind === 'string' && (kinds as string[]).includes(kind)) {
        const id = Number((v as { id?: unknown }).id ?? 0);
        return { kind: kind as LiveKind, id: Number.isFinite(id) ? id : 0 };
      }
    }
  } catch {
    /* not JSON: ignore (e.g. keep-alive) */
  }
  return null;
}

/** `{"kind":"resync"}`: the server could not keep up with this subscriber; refetch everything. */
export function isResync(data: string): boolean {
  try {
    const v: unknown = JSON.parse(data);
    return Boolean(v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'resync');
  } catch {
    return false;
  }
}

export const POLL_MS = 15_000;

/** Opens the event stream; when it cannot be opened, polls. Returns a stop function. */
export function startLive(onMode: (mode: LiveMode) => void): () => void {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  const startPolling = () => {
    if (timer || stopped) return;
    onMode('polling');
    timer = setInterval(() => {
      if (typeof document !== 'undefined' && document.hidden) return;
      emitLive({ kind: 'poll' });
    }, POLL_MS);
  };

  if (typeof EventSource === 'undefined') {
    startPolling();
  } else {
    onMode('connecting');
    source = new EventSource('/api/events', { withCredentials: true });
    source.onopen = () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
      }
      onMode('live');
    };
    source.onmessage = (e: MessageEvent<string>) => {
      if (isResync(e.data)) {
        emitLive({ kind: 'poll' }); // the server dropped events for us: refresh everything
        return;
      }
      const ev = parseLiveEvent(e.data);
      if (ev) emitLive(ev);
    };
    source.onerror = () => {
      // A 404, a non-event-stream answer or a refused connection closes the source for good:
      // fall back to polling. A dropped stream is reconnected by the browser; poll meanwhile.
      if (source && source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
      }
      startPolling();
    };
  }

  return () => {
    stopped = true;
    source?.close();
    if (timer) clearInterval(timer);
  };
}

/** Calls `onChange` when one of `kinds` changes (and on every poll when the stream is absent). */
/** Bursts (e.g. a hundred generated slots) are coalesced into one call after `delayMs`. */
export function useLiveRefresh(kinds: LiveKind[], onChange: () => void, delayMs = 300, onPoll = true): void {
  const ref = useRef(onChange);
  useEffect(() => {
    ref.current = onChange;
  });
  const key = kinds.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    let pending: ReturnType<typeof setTimeout> | null = null;
    const listener: Listener = (m) => {
      if (m.kind === 'poll' ? !onPoll : !wanted.has(m.kind)) return;
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        ref.current();
      }, delayMs);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (pending) clearTimeout(pending);
    };
  }, [key, delayMs, onPoll]);
}
