/**
 * The conditions several rule groups share: a threshold's level, a ratio judged only over enough
 * events, a target down or absent, a backend down as its exporter sees it, and a window-long
 * silence judged only once the history covers the window.
 */
import { Duration } from '../../core/duration';
import { ScrapeJobName } from '../../core/components';
import { Severity } from '../../core/severity';
import { Gauge, METRICS, TARGET_LABELS } from '../metrics';
import {
  Expr,
  absent,
  and,
  andAny,
  atLeast,
  eq,
  gt,
  increase,
  mul,
  offsetBy,
  or,
  select,
  sumBy,
  unlessAny,
} from '../metrics/promql';
import { EventMinimum, Threshold } from '../metrics/thresholds';
import { RATE_WINDOW } from '../metrics/recordings';

const { scrape, prometheus } = METRICS;

/**
 * How recent "the API still answers 5xx" is for HighErrorRate: half the ratio's window. A blip's
 * 5-minute ratio stays above the level for the blip's length plus about 3 minutes; over this window
 * the errors are gone about 2 minutes after it, so a burst of up to 3 minutes at 25-35% 5xx holds
 * both for under the 5m `for`. A shorter window (the last scrape interval, `irate`) holds too few
 * requests at low traffic: 1 request/s at 10% 5xx leaves a 15 s interval without an error one time
 * in five, and every such evaluation would start the `for` over.
 */
export const STILL_FAILING_WINDOW = Duration.millis(RATE_WINDOW.millis / 2);

/**
 * How long HighErrorRate keeps firing once its condition has cleared (`keep_firing_for`). It holds
 * back the burn-rate pages of the same errors, whose 5-minute windows clear up to `RATE_WINDOW`
 * after the errors stop, while its own condition clears within `STILL_FAILING_WINDOW`: it stays
 * a minute past them, or they would page the incident's tail a second time. Its RESOLVED message
 * comes this much later.
 */
export const EFFECTS_CLEAR = Duration.millis(RATE_WINDOW.millis - STILL_FAILING_WINDOW.millis).plus(
  Duration.minutes(1),
);

/**
 * How long a cause whose effects stop with it (the API unreachable, the workers gone) keeps firing
 * after it clears: the alerts it explains clear a scrape or two and an evaluation later (the API
 * answers again, the celery-exporter reconnects), and without it they would be sent in that gap.
 * Its own RESOLVED message comes this much later.
 */
export const CAUSE_RECOVERY = Duration.minutes(2);

/**
 * How long a backend (PostgreSQL, Redis) keeps firing after it answers again: the errors it caused
 * stay in the windows of the alerts it holds back, which must all be gone first, one minute to
 * spare. The longest of them is HighErrorRate: its condition clears within `STILL_FAILING_WINDOW`,
 * then it keeps firing for `EFFECTS_CLEAR` (the burn-rate pages and CeleryHighFailureRate clear
 * within `RATE_WINDOW`, sooner). Its RESOLVED message comes this much later.
 */
export const BACKEND_RECOVERY = STILL_FAILING_WINDOW.plus(EFFECTS_CLEAR).plus(Duration.minutes(1));

/** A threshold's level for one severity. */
export function level<S extends Severity>(threshold: Threshold<S>, severity: S): number {
  return threshold.levels[severity];
}

/** Events and errors among them, each per second over a window (a rate, or a mean of rates). */
export interface EventRates {
  readonly events: Expr<string>;
  readonly errors: Expr<string>;
}

/**
 * `condition`, judged only where `window` held at least `minimum.events` events and
 * `minimum.errors` errors (counted as rate times window, as `increase()` does): a ratio over a
 * handful of events is noise. The rates must carry the labels of `condition` (one-to-one `and`).
 */
export function withEnoughEvents<L extends string>(
  condition: Expr<L>,
  rates: EventRates,
  window: Duration,
  minimum: EventMinimum,
): Expr<L> {
  const count = (perSecond: Expr<string>) => mul(perSecond, window.seconds);
  return and(
    and(condition, atLeast(count(rates.events), minimum.events)),
    atLeast(count(rates.errors), minimum.errors),
  );
}

/** The rates of a recorded error ratio: `events`, and `ratio` times `events` for the errors. */
export function ratesOfRatio(ratio: Expr<string>, events: Expr<string>): EventRates {
  return { events, errors: mul(ratio, events) };
}

/** What a ratio alert's message says of its guard: `judged only with 30 API requests, 5 of them bad, in 5m`. */
export function guardText(window: Duration, minimum: EventMinimum): string {
  return `judged only with ${minimum.events} ${minimum.what}, ${minimum.errors} of them bad, in ${window}`;
}

/** The window over which service discovery failures are judged (ServiceDiscoveryFailing and `targetDown`). */
export const DISCOVERY_WINDOW = Duration.minutes(5);

/**
 * Target down, or (when nothing is scraped under the job at all) absent. An empty job is not the
 * service's fault while a discovery refresh failed within `DISCOVERY_WINDOW`: the discovery lost
 * its targets, and ServiceDiscoveryFailing pages for that. Only the empty job is held back: a
 * target that was found, or a static one, still pages when it stops answering.
 */
export function targetDown(job: ScrapeJobName): Expr<'job', 'job' | 'instance'> {
  const discoveryFailed = gt(sumBy([], increase(prometheus.serviceDiscoveryRefreshFailures, DISCOVERY_WINDOW)), 0);
  return or(eq(select(scrape.up, { job }), 0), unlessAny(absent(scrape.up, { job }), discoveryFailed));
}

/**
 * A backend watched through an exporter is down when the exporter says so (`*_up == 0`) and
 * also when the exporter itself cannot be scraped: then nobody knows, which is as bad.
 */
export function backendDown(
  backendUp: Gauge<typeof TARGET_LABELS>,
  exporterJob: ScrapeJobName,
): Expr<'job', 'job' | 'instance'> {
  return or(
    eq(select(backendUp), 0),
    eq(select(scrape.up, { job: exporterJob }), 0),
    absent(scrape.up, { job: exporterJob }),
  );
}

/**
 * `condition`, once Prometheus has been scraping `job` for a whole `window`. On a shorter history
 * (a first deploy, a wiped volume) a window-long silence or absence only means the history is short.
 */
export function withWholeWindow<L extends string>(condition: Expr<L>, job: ScrapeJobName, window: Duration): Expr<L> {
  return andAny(condition, offsetBy(select(scrape.up, { job }), window));
}
