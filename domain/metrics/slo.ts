/**
 * Service level objectives on the catalog: what counts as an event and as an error for each SLO
 * of `config.slo` (from the service's own metrics, with the same fallbacks as the other rules),
 * the burn-rate tiers of the Google SRE workbook ("Alerting on SLOs", multiwindow, multi-burn-rate
 * alerts), and the recorded error ratios over each window the tiers and the budget read.
 *
 * Every window is derived from one recording per SLO of events and errors per second over 5
 * minutes: the ratio over a window `w` is `avg_over_time(errors[w]) / avg_over_time(events[w])`,
 * the share of the window's events that were errors. Reading two recorded series over 3 or 30 days
 * costs Prometheus little; `rate()` over 30 days of every raw request series at each evaluation
 * would not.
 */
import { Duration } from '../../core/duration';
import { DEFAULT_SLO_SETTINGS, SLO_NAMES, SloName, SloSettings } from '../../config/slo-settings';
import type { ConfigProblem } from '../../config/errors';
import { Severity } from '../../core/severity';
import { METRICS } from './catalog';
import {
  Expr,
  Matchers,
  add,
  bucketAt,
  clampMin,
  div,
  mul,
  or,
  overTime,
  rate,
  ratio,
  select,
  sub,
  subtractFrom,
  sum,
  sumBy,
  unlessAny,
  withLabel,
} from './promql';
import { ALL_MARKETPLACES, RATE_WINDOW, RECORDINGS, Recording, SERVER_ERRORS, SYNC_TASK, record } from './recordings';
import { EventMinimum, MINIMUM_EVENTS } from './thresholds';

const { app, celery } = METRICS;

/**
 * A tier of burn-rate alerts: it fires when `budgetSpent` of the error budget would be spent within
 * `long` at the rate of both `long` and `short` (the short window makes it resolve soon after the
 * errors stop). The workbook's burn rate, `budgetSpent × SLO window / long`, is 14.4, 6 and 1 for a
 * 30-day window; `burnRate` keeps it at 1 or more for shorter windows.
 */
export interface BurnRateTier {
  /** The alert name's ending: `<SLO>FastBurn`. */
  readonly name: 'FastBurn' | 'SlowBurn' | 'SteadyBurn';
  /**
   * critical pages; info is a ticket, to be worked on within days (the ticket tier of the workbook),
   * told in the info chat, not among the warnings that want a look today.
   */
  readonly severity: Extract<Severity, 'critical' | 'info'>;
  /** Share (0-1) of the window's error budget. */
  readonly budgetSpent: number;
  readonly long: Duration;
  readonly short: Duration;
  /**
   * How long both windows must burn before the alert fires: the short window already makes it
   * resolve soon after the errors stop, this rides out one odd evaluation (a counter reset).
   */
  readonly for: Duration;
  /** How long it keeps firing once its condition has cleared (`keep_firing_for`). Default: not at all. */
  readonly keepFiringFor?: Duration;
}

/** The workbook's tiers, fastest first: each inhibits the slower ones of its SLO. */
export const BURN_RATE_TIERS: readonly BurnRateTier[] = [
  {
    name: 'FastBurn',
    severity: 'critical',
    budgetSpent: 0.02,
    long: Duration.hours(1),
    short: Duration.minutes(5),
    for: Duration.minutes(2),
  },
  {
    name: 'SlowBurn',
    severity: 'critical',
    budgetSpent: 0.05,
    long: Duration.hours(6),
    short: Duration.minutes(30),
    for: Duration.minutes(15),
  },
  {
    name: 'SteadyBurn',
    severity: 'info',
    budgetSpent: 0.1,
    long: Duration.days(3),
    short: Duration.hours(6),
    for: Duration.hours(1),
    // A budget problem ebbs and returns: the 3-day window falls under 1x when an older burn leaves
    // it before a new leak has filled it (in the labelled month, 19 hours between the two). Kept
    // open for a day, that is one ticket, not two; its RESOLVED message comes a day after the
    // burn fell under 1x, in the info chat, without sound.
    keepFiringFor: Duration.days(1),
  },
];

/** A ratio or factor written into rules: 12 significant digits, so 0.05 × 720 prints as 36, not 36.00000000000001. */
function rounded(value: number): number {
  return Number(value.toPrecision(12));
}

/** The error budget of an objective given in percent, as a share: 99.5 -> 0.005. */
export function errorBudget(objective: number): number {
  return rounded((100 - objective) / 100);
}

/**
 * The slowest burn any tier alerts on: at 1x the budget is spent exactly by the end of the SLO
 * window, below it the errors spend the budget slower than it accrues and it is never exhausted.
 */
export const MINIMUM_BURN_RATE = 1;

/**
 * How many times faster than `window` (the SLO's) allows a tier spends the budget:
 * `budgetSpent × window / long`, and never less than MINIMUM_BURN_RATE. The workbook's tiers are
 * derived for 30 days (14.4x, 6x, 1x, table 5-8 of "Alerting on SLOs"); over a shorter window the
 * same budget shares give lower rates, and the ticket tier's 10% in 3 days falls below 1x (0.93x
 * over 28 days, 0.23x over the shortest allowed, 7 days): it would ticket burns that never exhaust
 * the budget. Floored at 1x, the ticket tier says what the workbook's 1x says, "at this pace the
 * budget runs out within the window", and spends more than 10% of it in 3 days to fire (43% over
 * 7 days). The page tiers stay above the floor for every allowed window (3.36x and 1.4x over 7
 * days), so the floor binds only the ticket tier, and only under 30 days.
 */
export function burnRate(tier: BurnRateTier, window: Duration): number {
  return rounded(Math.max(MINIMUM_BURN_RATE, (tier.budgetSpent * window.millis) / tier.long.millis));
}

/** The SLI of an SLO: what is counted, per which labels, per second over a window. */
interface Indicator<L extends string> {
  /** The labels each SLO series keeps: the API's `job`, or the marketplace. */
  readonly by: readonly L[];
  /** Events per second over `window` (every request, every sync). */
  events(window: Duration): Expr<L, string>;
  /** Errors per second over `window`, 0 (not absent) where there are events but no error. */
  errors(window: Duration): Expr<L, string>;
  readonly minimum: EventMinimum;
}

/** Errors where `errors` has series, 0 where only `events` has: a group without a single error has a ratio of 0. */
function zeroWithoutErrors<L extends string>(errors: Expr<L, string>, events: Expr<L, string>): Expr<L, string> {
  return or(errors, mul(events, 0));
}

const apiRequests = (window: Duration) => sumBy(['job'], rate(app.httpRequests, window));

const API_AVAILABILITY: Indicator<'job'> = {
  by: ['job'],
  events: apiRequests,
  errors: (window) => zeroWithoutErrors(sumBy(['job'], rate(SERVER_ERRORS, window)), apiRequests(window)),
  minimum: MINIMUM_EVENTS.sloHttpRequests,
};

/**
 * Requests slower than `threshold` seconds, a bucket bound: every observation (the `+Inf` bucket)
 * minus those within the bound, from the same series family, so one scrape holds both.
 */
function apiLatency(threshold: number): Indicator<'job'> {
  const observed = (window: Duration, bound: number) =>
    sumBy(['job'], rate(bucketAt(app.httpRequestDuration, bound), window));
  return {
    by: ['job'],
    events: (window) => observed(window, Infinity),
    errors: (window) => sub(observed(window, Infinity), observed(window, threshold)),
    minimum: MINIMUM_EVENTS.sloHttpRequests,
  };
}

/**
 * Per marketplace from the application's sync counters where it exposes them; else from the sync
 * task's events (runs that ended, well or failed for good), all marketplaces together, as the
 * business rules do (domain/rules/groups/business.ts).
 */
function fromSyncTask(perSecond: Expr<never>): Expr<'platform', string> {
  return unlessAny(withLabel(perSecond, 'platform', ALL_MARKETPLACES), select(app.syncOperations));
}
const appSyncs = (window: Duration) => sumBy(['platform'], rate(app.syncOperations, window));
const syncTaskRuns = (window: Duration, outcome: typeof celery.tasksSucceeded | typeof celery.tasksFailed) =>
  sum(rate(select(outcome, { name: SYNC_TASK }), window));

const SYNC_SUCCESS: Indicator<'platform'> = {
  by: ['platform'],
  events: (window) =>
    or(
      appSyncs(window),
      fromSyncTask(add(syncTaskRuns(window, celery.tasksSucceeded), syncTaskRuns(window, celery.tasksFailed))),
    ),
  errors: (window) =>
    or(
      zeroWithoutErrors(
        sumBy(['platform'], rate(select(app.syncOperations, { status: 'failure' }), window)),
        appSyncs(window),
      ),
      fromSyncTask(syncTaskRuns(window, celery.tasksFailed)),
    ),
  minimum: MINIMUM_EVENTS.sloSyncs,
};

/** How an SLO is named and told, besides its settings. */
interface SloIdentity {
  /** The `slo` label: `api-availability`. */
  readonly id: string;
  /** Alert names start with it: `APIAvailabilityFastBurn`. */
  readonly alertPrefix: string;
  readonly title: string;
  /** What is counted, in the plural: `API requests`. */
  readonly events: string;
  /** What makes one an error, after the events: `answered with a 5xx`. */
  errors(settings: SloSettings): string;
  /** What makes one good, after "99.5% of" the events: `answered without a 5xx`. */
  good(settings: SloSettings): string;
}

const IDENTITIES = {
  apiAvailability: {
    id: 'api-availability',
    alertPrefix: 'APIAvailability',
    title: 'API availability',
    events: 'API requests',
    errors: () => 'answered with a 5xx',
    good: () => 'answered without a 5xx',
  },
  apiLatency: {
    id: 'api-latency',
    alertPrefix: 'APILatency',
    title: 'API latency',
    events: 'API requests',
    errors: (settings) => `slower than ${settings.apiLatency.threshold}s`,
    good: (settings) => `answered within ${settings.apiLatency.threshold}s`,
  },
  syncSuccess: {
    id: 'sync-success',
    alertPrefix: 'SyncSuccess',
    title: 'Stock sync success',
    events: 'stock syncs',
    errors: () => 'that failed',
    good: () => 'succeeding, per marketplace,',
  },
} as const satisfies Record<SloName, SloIdentity>;

/** The start of the names of an SLO's alerts. */
type AlertPrefix<N extends SloName> = (typeof IDENTITIES)[N]['alertPrefix'];

/** The windows an SLO's error ratio is recorded over: every tier's two, and the SLO's own. */
function ratioWindows(window: Duration): Duration[] {
  const all = [...BURN_RATE_TIERS.flatMap((tier) => [tier.short, tier.long]), window];
  return all.filter((w, i) => all.findIndex((other) => other.equals(w)) === i).sort((a, b) => a.compare(b));
}

/**
 * One SLO as configured, with its recordings: events and errors per second over 5 minutes, and the
 * error ratio over each window (`ratio(window)`).
 */
export interface Slo<L extends string = string, P extends string = string> {
  readonly name: SloName;
  readonly id: string;
  /** Its alerts are named `<alertPrefix><tier>`: `APIAvailabilityFastBurn`. */
  readonly alertPrefix: P;
  readonly title: string;
  /** The promise in words: `99.5% of API requests answered without a 5xx over 30d`. */
  readonly promise: string;
  readonly objective: number;
  /** Share (0-1) of the window's events that may be errors. */
  readonly budget: number;
  readonly window: Duration;
  readonly by: readonly L[];
  readonly minimum: EventMinimum;
  readonly events: Recording<L>;
  readonly errors: Recording<L>;
  /** The recorded error ratio over `window`: one of the tiers' windows or the SLO's own. */
  ratio(window: Duration): Recording<L>;
  /** Every recording, in the order they must be evaluated (the rates first). */
  readonly recordings: readonly Recording<L>[];
}

function buildSlo<N extends SloName, L extends string>(
  name: N,
  settings: SloSettings,
  indicator: Indicator<L>,
  level: string,
): Slo<L, AlertPrefix<N>> {
  const identity = IDENTITIES[name];
  const { objective, window } = settings[name];
  const metric = `slo_${identity.id.replace(/-/g, '_')}`;
  const failed = `${identity.events} ${identity.errors(settings)}`;
  const events = record(
    `${level}:${metric}_events:rate5m`,
    `${identity.title} SLO: ${identity.events} per second over 5 minutes`,
    indicator.by,
    indicator.events(RATE_WINDOW) as Expr<L>,
  );
  const errors = record(
    `${level}:${metric}_errors:rate5m`,
    `${identity.title} SLO: ${failed} per second over 5 minutes (0 without any)`,
    indicator.by,
    indicator.errors(RATE_WINDOW) as Expr<L>,
  );
  const ratios = new Map(
    ratioWindows(window).map((w) => {
      const perSecond = (recording: Recording<L>) =>
        w.equals(RATE_WINDOW) ? select(recording) : overTime('avg_over_time', recording, w);
      return [
        w.millis,
        record(
          `${level}:${metric}_errors:ratio_rate${w}`,
          `${identity.title} SLO: share of the ${identity.events} of the last ${w} ${identity.errors(settings)} (absent without any)`,
          indicator.by,
          ratio(perSecond(errors) as Expr<L>, perSecond(events) as Expr<L>),
        ),
      ];
    }),
  );
  return {
    name,
    id: identity.id,
    alertPrefix: identity.alertPrefix as AlertPrefix<N>,
    title: identity.title,
    promise: `${objective}% of ${identity.events} ${identity.good(settings)} over ${window}`,
    objective,
    budget: errorBudget(objective),
    window,
    by: indicator.by,
    minimum: indicator.minimum,
    events,
    errors,
    ratio: (w) => {
      const found = ratios.get(w.millis);
      if (!found) throw new Error(`the ${identity.title} SLO records no error ratio over ${w}`);
      return found;
    },
    recordings: [events, errors, ...ratios.values()],
  };
}

/** The SLOs of a configuration, by name, each typed with the labels its series keep. */
export interface SloSet {
  readonly apiAvailability: Slo<'job', AlertPrefix<'apiAvailability'>>;
  readonly apiLatency: Slo<'job', AlertPrefix<'apiLatency'>>;
  readonly syncSuccess: Slo<'platform', AlertPrefix<'syncSuccess'>>;
}

/** The SLOs of `settings`. */
export function slos(settings: SloSettings): SloSet {
  return {
    apiAvailability: buildSlo('apiAvailability', settings, API_AVAILABILITY, 'job'),
    apiLatency: buildSlo('apiLatency', settings, apiLatency(settings.apiLatency.threshold), 'job'),
    syncSuccess: buildSlo('syncSuccess', settings, SYNC_SUCCESS, 'platform'),
  };
}

/** The SLOs of a set, in `SLO_NAMES` order. */
export function sloList(set: SloSet): readonly Slo[] {
  return SLO_NAMES.map((name) => set[name] as Slo);
}

/** Every recorded series: the shared ones (`RECORDINGS`) and those of the SLOs of `settings` (default: the default SLOs). */
export function allRecordings(settings: SloSettings = DEFAULT_SLO_SETTINGS): Recording[] {
  return [...(Object.values(RECORDINGS) as Recording[]), ...sloList(slos(settings)).flatMap((slo) => slo.recordings)];
}

/** Matchers of an SLO's recordings (its `by` labels), e.g. to pick one marketplace. */
export type SloMatchers<L extends string> = Matchers<Recording<L>>;

/**
 * The share (0-1) of the window's error budget still left: 1 - the error ratio over the window /
 * the budget. Negative once the budget is overspent.
 */
export function budgetLeft<L extends string>(slo: Slo<L>, matchers?: SloMatchers<L>): Expr<L> {
  return subtractFrom(1, div(select(slo.ratio(slo.window), matchers), slo.budget));
}

/** How many times faster than the window allows the errors of the last `window` spend the budget. */
export function burnRateOver<L extends string>(slo: Slo<L>, window: Duration, matchers?: SloMatchers<L>): Expr<L> {
  return div(select(slo.ratio(window), matchers), slo.budget);
}

/**
 * Seconds until the budget left is spent, if errors go on at the rate of the last `window`: 0 once
 * it is spent, absent without errors in `window`.
 */
export function timeToExhaustion<L extends string>(slo: Slo<L>, window: Duration, matchers?: SloMatchers<L>): Expr<L> {
  const left = mul(budgetLeft(slo, matchers), slo.window.seconds);
  return clampMin(ratio(left, burnRateOver(slo, window, matchers)), 0);
}

/**
 * Problems only the catalog and the tiers can see: a latency threshold that is no bucket bound of
 * the request histogram, and an objective so low that a tier could never fire (its burn rate
 * times the budget above 100% of the events).
 */
export function sloProblems(settings: SloSettings): ConfigProblem[] {
  const buckets = app.httpRequestDuration.buckets ?? [];
  const threshold = settings.apiLatency.threshold;
  const bucket: ConfigProblem[] = buckets.includes(threshold)
    ? []
    : [
        {
          field: 'slo.apiLatency.threshold',
          value: threshold,
          reason: `is not a bucket bound of ${app.httpRequestDuration.name} (${buckets.join(', ')}): the share of requests within it is read exactly only at a bound`,
        },
      ];
  const reachable = SLO_NAMES.flatMap((name) => {
    const { objective, window } = settings[name];
    const unreachable = BURN_RATE_TIERS.find((tier) => burnRate(tier, window) * errorBudget(objective) >= 1);
    if (unreachable === undefined) return [];
    const rateOf = burnRate(unreachable, window);
    // Rounded up to two decimals, so the objective named is one that works.
    const lowest = Math.ceil((100 - 100 / rateOf) * 100) / 100;
    return [
      {
        field: `slo.${name}.objective`,
        value: objective,
        reason: `leaves an error budget of ${rounded(100 - objective)}%: the ${unreachable.name} tier (${unreachable.budgetSpent * 100}% of it in ${unreachable.long}, ${rateOf}x) would need more than 100% errors and could never fire; it must be at least ${lowest} (objectives are percentages: 99.5 for 99.5%)`,
      },
    ];
  });
  return [...bucket, ...reachable];
}
