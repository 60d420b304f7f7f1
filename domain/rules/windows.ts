/**
 * What the rules ask of the scrape interval: each range they read (`rate(x[5m])`) must hold enough
 * samples, or the function returns nothing and the alert built on it can never fire.
 */
import { Duration } from '../../core/duration';
import { ConfigProblem } from '../../config/errors';
import { PrometheusSettings } from '../../config/monitoring-config';
import { RuleGroup } from './model';

/** Samples a range must hold: `rate()` needs two, and four leave room for a failed scrape or two. */
export const SAMPLES_PER_RANGE = 4;

/** The shortest range any rule of `groups` reads (`[5m]`, a subquery's `[30m:1m]` counts its range). */
export function shortestRange(groups: readonly RuleGroup[]): Duration {
  const ranges = groups.flatMap((group) =>
    group.rules.flatMap((rule) => [...rule.expr.text.matchAll(/\[(\d+[a-z]+(?:\d+[a-z]+)*)(?::[^\]]*)?\]/g)]),
  );
  if (ranges.length === 0) throw new Error('no rule reads a range');
  return ranges.map((match) => Duration.parse(match[1])).sort((a, b) => a.compare(b))[0];
}

/**
 * A problem when the scrape interval is too long for the rules: their shortest range must hold
 * `SAMPLES_PER_RANGE` scrapes. At 3m, `rate(x[5m])` sees one sample or none, and HighErrorRate
 * or HighCPUUsage stay silent through an outage.
 */
export function scrapeIntervalProblems(
  prometheus: Pick<PrometheusSettings, 'scrapeInterval'>,
  groups: readonly RuleGroup[],
): ConfigProblem[] {
  const range = shortestRange(groups);
  const longest = Duration.millis(Math.floor(range.millis / SAMPLES_PER_RANGE));
  if (prometheus.scrapeInterval.compare(longest) <= 0) return [];
  return [
    {
      field: 'prometheus.scrapeInterval',
      value: prometheus.scrapeInterval.toString(),
      reason: `is too long for the rules: their shortest range, ${range}, must hold ${SAMPLES_PER_RANGE} scrapes, so at most ${longest} (with fewer, rate() returns nothing and the alerts on it never fire)`,
    },
  ];
}
