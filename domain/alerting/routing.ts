/**
 * Who is told what, and when: one Telegram receiver per severity, the Watchdog to a receiver of its
 * own, inhibition from `inhibitions.ts`.
 */
import { NotificationTimings } from '../../config/alerting-settings';
import { Duration } from '../../core/duration';
import { SEVERITIES, Severity } from '../../core/severity';
import { AlertLabel, WATCHDOG } from './alert-names';
import { INHIBITIONS } from './inhibitions';
import { InhibitRule, Route, equals, oneOf } from './model';

/**
 * One message per alert name and failing target; alerts of one group differ in the labels below
 * the target (queue, platform, filesystem) and are listed in that message.
 */
export const GROUP_BY: readonly AlertLabel[] = ['alertname', 'instance'];

/** How each severity looks and sounds on the phone. */
export const SEVERITY_STYLE: Record<Severity, { emoji: string; silent: boolean }> = {
  critical: { emoji: '🔴', silent: false },
  warning: { emoji: '🟠', silent: false },
  info: { emoji: '🔵', silent: true },
};

/** An alert without a known severity label (a rule written wrong) still reaches people, here. */
export const FALLBACK_SEVERITY: Severity = 'warning';

export const WATCHDOG_RECEIVER = 'watchdog';

/**
 * The Watchdog fires all the time; repeating it a little faster than the group interval makes every
 * flush send it, so a heartbeat service sees it every minute (equal intervals would skip a flush
 * whenever it comes a moment early). Newer Alertmanagers (sid's 0.33) log a warning about a
 * repeat_interval below group_interval at each load: meant, and harmless.
 */
export const WATCHDOG_TIMINGS: NotificationTimings = {
  groupWait: Duration.seconds(0),
  groupInterval: Duration.minutes(1),
  repeatInterval: Duration.seconds(50),
};

export function telegramReceiver(severity: Severity): string {
  return `telegram-${severity}`;
}

function timed(
  timings: NotificationTimings,
  scale: number,
): Pick<Route, 'group_wait' | 'group_interval' | 'repeat_interval'> {
  return {
    group_wait: timings.groupWait.times(scale),
    group_interval: timings.groupInterval.times(scale),
    repeat_interval: timings.repeatInterval.times(scale),
  };
}

/**
 * The routing tree. `muting` names, per severity, the time intervals its route is muted in (the
 * Watchdog's never is: a muted heartbeat would raise the dead man's switch). `scale` multiplies
 * every timing (tests and the e2e harness run minutes as seconds with the same tree).
 */
export function buildRoute(
  timings: Record<Severity, NotificationTimings>,
  muting: Record<Severity, string[]>,
  scale = 1,
): Route {
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`timeScale must be in (0, 1], got ${scale}`);
  return {
    receiver: telegramReceiver(FALLBACK_SEVERITY),
    group_by: [...GROUP_BY],
    ...timed(timings[FALLBACK_SEVERITY], scale),
    routes: [
      { receiver: WATCHDOG_RECEIVER, matchers: [equals('alertname', WATCHDOG)], ...timed(WATCHDOG_TIMINGS, scale) },
      ...SEVERITIES.map((severity) => ({
        receiver: telegramReceiver(severity),
        matchers: [equals('severity', severity)],
        ...timed(timings[severity], scale),
        ...(muting[severity].length > 0 ? { mute_time_intervals: muting[severity] } : {}),
      })),
    ],
  };
}

export function buildInhibitRules(): InhibitRule[] {
  return INHIBITIONS.map((rule) => ({
    source_matchers: [
      equals('alertname', rule.source),
      ...Object.entries(rule.sourceLabels).map(([label, value]) => equals(label as AlertLabel, value)),
    ],
    target_matchers: [oneOf('alertname', rule.targets)],
    equal: [...rule.sameThing],
  }));
}
