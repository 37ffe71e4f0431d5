import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCountdown } from '../lib/format';

/** How often, at most, a screen reader hears the remaining time while throttled. */
export const THROTTLE_ANNOUNCE_EVERY_S = 10;

/**
 * The screen-reader side of the throttle countdown. The button's own text counts
 * down every second for sighted users, but a live region that changed every
 * second would talk over everything else; this polite region speaks only when the
 * wait starts ("Try again in 0:27"), on each 10-second mark ("0:20", "0:10") and
 * once when signing in is possible again. `until` is the epoch-ms end of the wait
 * (null when not throttled); `now` ticks from the screen's clock.
 */
export function ThrottleStatus({ until, now }: { until: number | null; now: number }) {
  const { t } = useTranslation('auth');
  const [text, setText] = useState('');
  const last = useRef<{ until: number | null; secs: number }>({ until: null, secs: 0 });

  useEffect(() => {
    const prev = last.current;
    // `now` can lag the moment the wait began by one tick; never announce more than is left.
    const current = Math.max(now, Date.now());
    if (until !== null && current < until) {
      const secs = Math.ceil((until - current) / 1000);
      const mark = secs % THROTTLE_ANNOUNCE_EVERY_S === 0 && secs !== prev.secs;
      if (prev.until !== until || mark) {
        last.current = { until, secs };
        setText(t('login.tryAgainIn', { time: formatCountdown(until - current) }));
      }
    } else if (prev.until !== null) {
      last.current = { until: null, secs: 0 };
      setText(t('login.tryAgainNow'));
    }
  }, [until, now, t]);

  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="throttle-status">
      {text}
    </div>
  );
}
