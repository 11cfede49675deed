/** @module Loading data in a page: the value, the error, and a reload that live updates call. */

import { useCallback, useEffect, useRef, useState } from "react";

import { follow, type StreamEvent } from "./events";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change or reload() is called; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: unknown) =>
        mine === generation.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // The dependencies are the caller's: `load` is a new closure on every render.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/**
 * Follows an event stream while the page is open and calls `onChange` after each burst of events
 * (one reload for a package that moves ten drives, not ten).
 */
export function useLiveUpdates(path: string | undefined, onChange: (event: StreamEvent) => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!path) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: StreamEvent | undefined;
    const stop = follow(path, (event) => {
      last = event;
      clearTimeout(timer);
      timer = setTimeout(() => last && latest.current(last), 150);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [path]);
}

/**
 * Reloads every `ms` while `active`: copy progress is not a state change, so no event announces it;
 * while something is copying, the page asks for it.
 */
export function useRefreshWhile(active: boolean, reload: () => void, ms = 5000): void {
  useEffect(() => {
    if (!active) {
      return;
    }
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [active, reload, ms]);
}
