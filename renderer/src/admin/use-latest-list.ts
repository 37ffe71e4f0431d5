import { useCallback, useEffect, useRef, useState } from 'react';
import type { List } from '../../../shared/dto';
import type { ErrorBody, Reply } from '../../../shared/errors';

export interface ListState<T> {
  data: List<T> | null;
  error: ErrorBody | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a page for `params`, coalescing while typing: at most one request is in flight,
 * and when it returns with newer params waiting, only the newest is sent next. This is
 * the search box's debounce: it waits exactly as long as the core takes, never a fixed
 * delay, so results follow typing closely and a stale answer never overwrites a newer one.
 */
export function useLatestList<P, T>(params: P, key: string, load: (params: P) => Promise<Reply<List<T>>>): ListState<T> {
  const [data, setData] = useState<List<T> | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const wanted = useRef<{ params: P; version: number }>({ params, version: 0 });
  const inFlight = useRef(false);
  const alive = useRef(true);
  const loadRef = useRef(load);
  loadRef.current = load;

  const pump = useCallback(async () => {
    inFlight.current = true;
    for (;;) {
      const asked = wanted.current;
      const reply = await loadRef.current(asked.params);
      if (!alive.current) return;
      if (wanted.current !== asked) continue; // newer params arrived: send those instead
      if (reply.ok) {
        setData(reply.data);
        setError(null);
      } else if (reply.error.code !== 'REAUTH_REQUIRED') {
        setError(reply.error);
      }
      setLoading(false);
      break;
    }
    inFlight.current = false;
  }, []);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    wanted.current = { params, version: wanted.current.version + 1 };
    setLoading(true);
    if (!inFlight.current) void pump();
    // `key` stands for params: callers build it from every field of params.
  }, [key, tick, pump]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
