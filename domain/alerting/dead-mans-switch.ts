/**
 * The dead man's switch when Telegram refuses every message (the chat became a supergroup, the bot
 * was removed, its token revoked): nobody learns it through Telegram, so the Watchdog's heartbeat
 * is held back (inhibitions.ts) and the heartbeat service raises the alarm by its own channel.
 * This file is the arithmetic of that chain, from the values the stack deploys, so the runbook's
 * numbers and the loopback test's bounds are computed, not copied.
 *
 * From the first message Telegram refuses (every step at its worst):
 *
 * 1. Alertmanager retries the message (with backoff; every Telegram error is retried) until the
 *    flush's timeout, the route's group_interval but at least 10 s (`notify.MinTimeout`), and only
 *    then counts one failed notification (`alertmanager_notifications_failed_total`).
 * 2. Prometheus scrapes that counter: one scrape interval.
 * 3. AlertmanagerNotificationsFailing's expression sees it at the next evaluation: the failure ratio
 *    over the window jumps above 10% at once, as every notification fails.
 * 4. It fires at the first evaluation at least its `for` later (`for` + one evaluation interval);
 *    Prometheus sends it to Alertmanager within that evaluation, and from then on every flush of
 *    the Watchdog's group sends nothing: the last heartbeat was before this moment.
 * 5. The heartbeat service alarms when a ping is later than its period plus its grace time.
 *
 * Defaults (15 s scrape and evaluation, `for` 3m, healthchecks.io period 1m and grace 5m):
 * 1m + 15s + 15s + (3m + 15s) + (1m + 5m) = 10m45s when the refused message was critical
 * (group_interval 1m), 14m45s for a warning (5m), 19m45s for an info message (10m).
 *
 * Telegram accepting again (the chat id fixed and deployed, the bot back in the group): a flush
 * still waiting out its retry backoff may count one more failure (at most one backoff gap, 90 s,
 * or its flush timeout if shorter); the failures counted stay in the ratio's 15m window, so the
 * alert resolves once the last has left it, one scrape and one evaluation later; the inhibition
 * lifts and the Watchdog's next flush (its group_interval, 1m) pings again: at most
 * 1m30s + 15m + 15s + 15s + 1m = 18m after the repair. Meanwhile Telegram gets the messages that
 * waited, AlertmanagerNotificationsFailing among them, then its resolved message.
 *
 * A Telegram that breaks while nothing is being sent is found at the next message only (a new
 * alert, or a repeat: critical hourly, warning every 4 h): `npm run check -- --test-telegram`
 * sends one on demand.
 */
import { AlertingSettings, NotificationTimings } from '../../config/alerting-settings';
import type { PrometheusSettings } from '../../config/monitoring-config';
import { Duration } from '../../core/duration';
import { Severity } from '../../core/severity';
import { THRESHOLDS, windowOf } from '../metrics';
import { NOTIFICATIONS_FAILING, alertRule } from './alert-names';
import { WATCHDOG_TIMINGS } from './routing';

/** Alertmanager's shortest notification timeout (`notify.MinTimeout`, 0.25 and later). */
export const ALERTMANAGER_MIN_NOTIFY_TIMEOUT = Duration.seconds(10);
/**
 * The longest wait between two tries of one notification: Alertmanager's retry backoff
 * (cenkalti/backoff defaults) grows to 60 s, randomised by ±50%.
 */
export const ALERTMANAGER_MAX_RETRY_GAP = Duration.seconds(90);

/** The heartbeat service's check: how often a ping is expected, and how late one may be before it alarms. */
export interface HeartbeatCheck {
  period: Duration;
  grace: Duration;
}

/**
 * The check to create on the heartbeat service (healthchecks.io: Period 1 minute, Grace Time 5
 * minutes): the Watchdog pings every minute, and the grace rides out a deploy that replaces
 * Alertmanager (Prometheus sends the Watchdog again within its 1m resend delay).
 */
export const RECOMMENDED_HEARTBEAT_CHECK: HeartbeatCheck = { period: Duration.minutes(1), grace: Duration.minutes(5) };

export interface DeadMansSwitchInput {
  /** Alertmanager's route timings of each severity, as rendered. */
  timings: Record<Severity, NotificationTimings>;
  /** The Watchdog's route timings, as rendered. */
  watchdog: NotificationTimings;
  scrapeInterval: Duration;
  evaluationInterval: Duration;
  /** AlertmanagerNotificationsFailing's `for` and the window of its ratio, as rendered. */
  alertFor: Duration;
  alertWindow: Duration;
  heartbeatCheck: HeartbeatCheck;
}

export interface DeadMansSwitchChain {
  /** Step 1: from the first refused message until Alertmanager counts it failed. */
  failureCounted: Duration;
  /** Steps 1-4: until AlertmanagerNotificationsFailing fires and the Watchdog is held back (no heartbeat after). */
  heartbeatStops: Duration;
  /** Steps 1-5: until the heartbeat service raises its alarm. */
  alarm: Duration;
  /** From Telegram accepting again until the heartbeat is back (whichever routes were failing). */
  heartbeatResumes: Duration;
}

const longest = (durations: Duration[]): Duration => durations.reduce((a, b) => (a.compare(b) >= 0 ? a : b));
const shortest = (a: Duration, b: Duration): Duration => (a.compare(b) <= 0 ? a : b);

/** The chain's inputs as deployed: these settings, the rule as written, the recommended check. */
export function deadMansSwitchInput(
  alerting: Pick<AlertingSettings, 'timings'>,
  prometheus: Pick<PrometheusSettings, 'scrapeInterval' | 'evaluationInterval'>,
  heartbeatCheck: HeartbeatCheck = RECOMMENDED_HEARTBEAT_CHECK,
): DeadMansSwitchInput {
  return {
    timings: alerting.timings,
    watchdog: WATCHDOG_TIMINGS,
    scrapeInterval: prometheus.scrapeInterval,
    evaluationInterval: prometheus.evaluationInterval,
    alertFor: alertRule(NOTIFICATIONS_FAILING).for,
    alertWindow: windowOf(THRESHOLDS.alertmanagerNotificationFailureRatio),
    heartbeatCheck,
  };
}

/** The flush timeout of a route: how long Alertmanager retries one notification before it counts it failed. */
export function notifyTimeout(timings: NotificationTimings): Duration {
  return timings.groupInterval.compare(ALERTMANAGER_MIN_NOTIFY_TIMEOUT) < 0
    ? ALERTMANAGER_MIN_NOTIFY_TIMEOUT
    : timings.groupInterval;
}

/** The chain's worst case when the first refused message went to the route of `severity`. */
export function deadMansSwitchChain(input: DeadMansSwitchInput, severity: Severity): DeadMansSwitchChain {
  const sampled = input.scrapeInterval.plus(input.evaluationInterval);
  const failureCounted = notifyTimeout(input.timings[severity]);
  const heartbeatStops = failureCounted.plus(sampled).plus(input.alertFor).plus(input.evaluationInterval);
  return {
    failureCounted,
    heartbeatStops,
    alarm: heartbeatStops.plus(input.heartbeatCheck.period).plus(input.heartbeatCheck.grace),
    heartbeatResumes: lastFailureAfterRepair(input)
      .plus(input.alertWindow)
      .plus(sampled)
      .plus(input.watchdog.groupInterval),
  };
}

/** A flush retrying when Telegram comes back either succeeds at its next try or times out first. */
function lastFailureAfterRepair(input: DeadMansSwitchInput): Duration {
  const timeouts = Object.values(input.timings).map(notifyTimeout);
  return shortest(longest(timeouts), ALERTMANAGER_MAX_RETRY_GAP);
}
