/** @module Loading data in a page: the value, the error, and a reload that live updates call. */

import { useCallback, useEffect, useRef, useState } from "react";

import type { ProgressEvent, StateEvent } from "./api";
import { follow } from "./events";

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
 * Follows an event stream while the page is open and calls `onChange` after each burst of state changes
 * (one reload for a package that moves ten drives, not ten). A drive's copy progress is no change to
 * reload for: it goes to `onProgress`, when given, as it comes (a few seconds apart per drive).
 */
export function useLiveUpdates(
  path: string | undefined,
  onChange: (event: StateEvent) => void,
  onProgress?: (event: ProgressEvent) => void,
): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  const latestProgress = useRef(onProgress);
  latestProgress.current = onProgress;
  useEffect(() => {
    if (!path) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: StateEvent | undefined;
    const stop = follow(path, ({ type, data }) => {
      if (type === "progress") {
        latestProgress.current?.(data);
        return;
      }
      last = data;
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
 * Reloads every `ms` while `active`: for a page that shows what progress events cannot update in place
 * (the jobs list's per-job percent is derived from every drive), while something is copying.
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
