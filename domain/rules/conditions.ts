/**
 * The conditions several rule groups share: a threshold's level, a ratio judged only with enough
 * traffic, a target down or absent, a backend down as its exporter sees it, and a window-long
 * silence judged only once the history covers the window.
 */
import { Duration } from '../../core/duration';
import { ScrapeJobName } from '../../core/components';
import { Severity } from '../../core/severity';
import { Gauge, METRICS, TARGET_LABELS } from '../metrics';
import { Expr, absent, and, andAny, eq, gt, increase, offsetBy, or, select, sumBy, unlessAny } from '../metrics/promql';
import { Threshold } from '../metrics/thresholds';

const { scrape, prometheus } = METRICS;

/**
 * How long a cause (a backend down, the API or the workers gone) keeps firing after it
 * clears: the alerts it explains clear a scrape or two and an evaluation later (the celery-exporter
 * reconnects, the API answers again), and without it they would be sent in that gap, once the cause
 * no longer holds them back. Its own RESOLVED message comes this much later.
 */
export const CAUSE_RECOVERY = Duration.minutes(2);

/** A threshold's level for one severity. */
export function level<S extends Severity>(threshold: Threshold<S>, severity: S): number {
  return threshold.levels[severity];
}

/** `condition`, judged only while `traffic` is above its minimum: a ratio over a handful of events is noise. */
export function withTraffic<L extends string>(
  condition: Expr<L>,
  traffic: Expr<string>,
  minimum: { value: number },
): Expr<L> {
  return and(condition, gt(traffic, minimum.value));
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
