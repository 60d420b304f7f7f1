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

/**
 * Functions whose answer needs a single sample in the range: "was it ever 0 in the last 2m" is
 * answered by any one scrape, so their range needs to hold one scrape, not `SAMPLES_PER_RANGE`.
 */
const ONE_SAMPLE_FUNCTIONS = ['min_over_time', 'max_over_time', 'last_over_time', 'present_over_time'];

/** A range a rule reads (`[5m]`; a subquery's `[30m:1m]` counts its range) and the samples it must hold. */
export interface RangeRead {
  readonly range: Duration;
  /** 1 for `ONE_SAMPLE_FUNCTIONS` over a selector, `SAMPLES_PER_RANGE` otherwise. */
  readonly samples: number;
}

const RANGE = /\[(\d+[a-z]+(?:\d+[a-z]+)*)(?::[^\]]*)?\]/g;
/** `min_over_time(name{…}[2m])`: a one-sample function applied straight to a selector's range. */
const ONE_SAMPLE_RANGE = new RegExp(
  `\\b(?:${ONE_SAMPLE_FUNCTIONS.join('|')})\\(\\s*[a-zA-Z_:][\\w:]*\\s*(?:\\{[^}]*\\})?\\s*(\\[)`,
  'g',
);

/** Every range the rules of `groups` read, with the samples each must hold. */
export function rangesRead(groups: readonly RuleGroup[]): RangeRead[] {
  return groups.flatMap((group) =>
    group.rules.flatMap((rule) => {
      const text = rule.expr.text;
      const oneSample = new Set([...text.matchAll(ONE_SAMPLE_RANGE)].map((m) => (m.index ?? 0) + m[0].length - 1));
      return [...text.matchAll(RANGE)].map((m) => ({
        range: Duration.parse(m[1]),
        samples: oneSample.has(m.index ?? -1) ? 1 : SAMPLES_PER_RANGE,
      }));
    }),
  );
}

/** The shortest range any rule of `groups` reads that must hold `SAMPLES_PER_RANGE` samples. */
export function shortestRange(groups: readonly RuleGroup[]): Duration {
  const ranges = rangesRead(groups).filter((read) => read.samples === SAMPLES_PER_RANGE);
  if (ranges.length === 0) throw new Error('no rule reads a range');
  return ranges.map((read) => read.range).sort((a, b) => a.compare(b))[0];
}

/**
 * A problem when the scrape interval is too long for the rules: each range must hold its samples
 * (`SAMPLES_PER_RANGE`, or one for `ONE_SAMPLE_FUNCTIONS`). At 3m, `rate(x[5m])` sees one sample
 * or none, and HighErrorRate or HighCPUUsage stay silent through an outage.
 */
export function scrapeIntervalProblems(
  prometheus: Pick<PrometheusSettings, 'scrapeInterval'>,
  groups: readonly RuleGroup[],
): ConfigProblem[] {
  const [tightest] = rangesRead(groups)
    .map((read) => ({ ...read, longest: Duration.millis(Math.floor(read.range.millis / read.samples)) }))
    .sort((a, b) => a.longest.compare(b.longest));
  if (tightest === undefined) throw new Error('no rule reads a range');
  if (prometheus.scrapeInterval.compare(tightest.longest) <= 0) return [];
  const scrapes = tightest.samples === 1 ? 'a scrape' : `${tightest.samples} scrapes`;
  return [
    {
      field: 'prometheus.scrapeInterval',
      value: prometheus.scrapeInterval.toString(),
      reason: `is too long for the rules: their shortest range, ${tightest.range}, must hold ${scrapes}, so at most ${tightest.longest} (with fewer, rate() returns nothing and the alerts on it never fire)`,
    },
  ];
}
