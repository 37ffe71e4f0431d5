import { useEffect, useState } from 'react';

/**
 * The wall clock, re-read every `intervalMs` while `active` (for countdowns). Stops
 * when inactive or unmounted: a hidden profile's countdown costs nothing.
 */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
