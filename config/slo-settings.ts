/**
 * The `slo` section of `MonitoringConfig`: the service level objectives of Stock Tracker, from
 * which the burn-rate alerts (domain/rules/groups/slo.ts) and the error-budget dashboard are
 * generated. Three are defined, each with its objective and the window its error budget is judged
 * over: API availability (requests answered without a 5xx), API latency (requests faster than a
 * bucket bound of the request histogram) and stock sync success (per marketplace).
 *
 * What the domain must check (the latency threshold is a bucket bound, every burn-rate tier can
 * still fire at the objective) is checked by `sloProblems` in domain/metrics/slo.ts.
 */
import { Duration } from '../core/duration';
import { Fields } from './fields';
import type { ConfigReader } from './errors';

/** The SLOs, as keys of the `slo` section. */
export const SLO_NAMES = ['apiAvailability', 'apiLatency', 'syncSuccess'] as const;
export type SloName = (typeof SLO_NAMES)[number];

/** One SLO: what share of its events must be good, over which window. */
export interface Objective {
  /**
   * The share of good events promised, in percent: `99.5` promises 99.5% and leaves an error
   * budget of 0.5% of the events in the window. Strictly between 0 and 100.
   */
  objective: number;
  /** The rolling window the objective and its error budget are judged over. Default 30d, at least 7d. */
  window: Duration;
}

/** The latency SLO: also how fast a request must be to count as good. */
export interface LatencyObjective extends Objective {
  /**
   * Seconds a request may take and still be good; one of the bucket bounds of the API's
   * `http_request_duration_seconds` (0.005 ... 10), so the share is read exactly. Default 1.
   */
  threshold: number;
}

export interface SloSettings {
  /** Requests of the API answered without a 5xx status. Default 99.5% over 30d. */
  apiAvailability: Objective;
  /** Requests of the API answered within `threshold` seconds. Default 99% within 1 s over 30d. */
  apiLatency: LatencyObjective;
  /** Stock syncs that succeed, per marketplace. Default 99% over 30d. */
  syncSuccess: Objective;
}

const THIRTY_DAYS = Duration.days(30);

export const DEFAULT_SLO_SETTINGS: SloSettings = {
  apiAvailability: { objective: 99.5, window: THIRTY_DAYS },
  apiLatency: { objective: 99, threshold: 1, window: THIRTY_DAYS },
  syncSuccess: { objective: 99, window: THIRTY_DAYS },
};

/**
 * An error budget judged over less than a week says more about one bad afternoon than about the
 * service. From a week up, the page tiers' burn rates stay above 1x (1.4x for 5% in 6 hours over
 * 7 days), so every tier alerts only on a burn that would spend the budget within the window
 * (`burnRate`, domain/metrics/slo.ts).
 */
export const SHORTEST_SLO_WINDOW = Duration.days(7);

/** A percentage as a setting gives it: `99.5`, `"99.5"` or `"99.5%"`. */
const PERCENT = /^\s*\d+(\.\d+)?\s*%?\s*$/;

function parseObjective(field: string, raw: unknown, fields: Fields, defaults: Objective): Objective {
  const given = fields.section(field, raw);
  fields.onlyKnownKeys(field, given, Object.keys(defaults));
  return {
    objective: fields.decimal(`${field}.objective`, given.objective, defaults.objective, {
      above: 0,
      below: 100,
      pattern: PERCENT,
      expected: 'a percentage between 0 and 100 such as 99.5 (for 99.5%)',
    }),
    window: fields.duration(`${field}.window`, given.window, defaults.window, SHORTEST_SLO_WINDOW),
  };
}

export function parseSloSettings(raw: unknown, fields: Fields): SloSettings {
  const d = DEFAULT_SLO_SETTINGS;
  const given = fields.section('slo', raw);
  fields.onlyKnownKeys('slo', given, SLO_NAMES);
  const latency = fields.section('slo.apiLatency', given.apiLatency);
  return {
    apiAvailability: parseObjective('slo.apiAvailability', given.apiAvailability, fields, d.apiAvailability),
    apiLatency: {
      ...parseObjective('slo.apiLatency', latency, fields, d.apiLatency),
      threshold: fields.decimal('slo.apiLatency.threshold', latency.threshold, d.apiLatency.threshold, {
        above: 0,
        expected: 'a number of seconds such as 1 or 0.5',
      }),
    },
    syncSuccess: parseObjective('slo.syncSuccess', given.syncSuccess, fields, d.syncSuccess),
  };
}

/**
 * Each SLO's window must be kept by Prometheus: the budget left is computed over the whole window,
 * and a retention shorter than it would judge the budget over what is left of the history.
 */
export function checkSloRetention(slo: SloSettings, retention: Duration, reader: ConfigReader): void {
  for (const name of SLO_NAMES) {
    const { window } = slo[name];
    if (window.compare(retention) > 0)
      reader.problem(
        `slo.${name}.window`,
        window.toString(),
        `is longer than prometheus.retention (${retention}): the error budget is judged over the whole window, so Prometheus must keep it; shorten the window or lengthen the retention`,
      );
  }
}
