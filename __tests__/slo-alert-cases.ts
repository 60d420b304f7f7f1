/**
 * promtool cases of every burn-rate alert, generated for a configuration's SLOs: each fires just
 * above its tier's burn rate, and stays quiet just below it, without traffic, with a trickle of
 * failing traffic too small to judge, and (where the minimum of errors can matter) with a handful
 * of errors among enough events. Expected levels are worked out here from the objective and the
 * workbook's budget shares, not read from the rules, so a rule with a wrong level fails.
 */
import { Duration } from '../core/duration';
import { SloName, SloSettings } from '../config/slo-settings';
import { EventMinimum, METRICS, MINIMUM_EVENTS } from '../domain/metrics';
import { ALL_MARKETPLACES, SYNC_TASK } from '../domain/metrics/recordings';
import { BURN_RATE_TIERS, BurnRateTier } from '../domain/metrics/slo';
import { SLO_QUERIES } from '../domain/rules';
import { sloRuleGroup } from '../domain/rules/groups/slo';
import { AlertRule } from '../domain/rules/model';
import {
  AlertTestSuite,
  FiringCase,
  InputSeries,
  QuietCase,
  bucketSeries,
  casesFor,
  series,
} from '../domain/rules/unit-tests';
import { API, CELERY, TENANT, WORKER_HOST } from './rule-inputs';

const { app, celery } = METRICS;
const minutes = Duration.minutes;

/** The workbook's budget shares and windows, written out here on purpose (see the header). */
const WORKBOOK: Record<BurnRateTier['name'], { budgetSpent: number; long: Duration }> = {
  FastBurn: { budgetSpent: 0.02, long: Duration.hours(1) },
  SlowBurn: { budgetSpent: 0.05, long: Duration.hours(6) },
  SteadyBurn: { budgetSpent: 0.1, long: Duration.days(3) },
};

/** How far above or below its burn rate a case burns the budget. */
const ABOVE = 1.1;
const BELOW = 0.9;

/** Go's `%.4g`, as Prometheus' `humanize` and `humanizePercentage` print (trailing zeros dropped). */
function go4g(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** Minutes as promtool's expanding notation counts samples. */
const asMinutes = (duration: Duration) => duration.millis / 60_000;

/** A stretch of steady traffic: `perMinute` events a minute, `errors` of them errors. */
interface Phase {
  readonly minutes: number;
  readonly perMinute: number;
  readonly errors: number;
}

/** promtool values of a counter that counts `pick(phase)` a minute through the phases, from 0 at minute 0. */
function counter(phases: readonly Phase[], pick: (phase: Phase) => number): string {
  let total = 0;
  return phases
    .map((phase, i) => {
      const step = pick(phase);
      // The first phase starts with its sample at 0; each next one with its first minute's count.
      const part = i === 0 ? `0+${step}x${phase.minutes}` : `${total + step}+${step}x${phase.minutes - 1}`;
      total += step * phase.minutes;
      return part;
    })
    .join(' ');
}

const good = (phase: Phase) => phase.perMinute - phase.errors;
const bad = (phase: Phase) => phase.errors;

/** The input series of one SLI through phases of traffic. */
interface Indicator {
  /** The labels a firing alert of it carries, besides `slo` and `severity`. */
  readonly labels: Readonly<Record<string, string>>;
  traffic(phases: readonly Phase[]): InputSeries[];
  /** Healthy traffic per minute in the firing cases. */
  readonly busy: number;
  /** The fewest events and errors a tier's long window must hold. */
  readonly minimum: EventMinimum;
}

const REQUEST = { ...API, method: 'GET', endpoint: '/api/v1/products/' } as const;

function indicators(settings: SloSettings): Record<SloName, Indicator> {
  const threshold = settings.apiLatency.threshold;
  // As the Python client writes a whole bound: `1.0`.
  const le = Number.isInteger(threshold) ? threshold.toFixed(1) : String(threshold);
  return {
    apiAvailability: {
      labels: { job: API.job },
      busy: 1000,
      minimum: MINIMUM_EVENTS.sloHttpRequests,
      traffic: (phases) => [
        series(app.httpRequests, { ...REQUEST, status: '200' }, counter(phases, good)),
        series(app.httpRequests, { ...REQUEST, status: '503' }, counter(phases, bad)),
      ],
    },
    apiLatency: {
      labels: { job: API.job },
      busy: 1000,
      minimum: MINIMUM_EVENTS.sloHttpRequests,
      traffic: (phases) => [
        bucketSeries(app.httpRequestDuration, REQUEST, le, counter(phases, good)),
        bucketSeries(
          app.httpRequestDuration,
          REQUEST,
          '+Inf',
          counter(phases, (phase) => phase.perMinute),
        ),
      ],
    },
    syncSuccess: {
      labels: { platform: 'ozon' },
      busy: 10,
      minimum: MINIMUM_EVENTS.sloSyncs,
      traffic: (phases) =>
        (['success', 'failure'] as const).map((status) =>
          series(
            app.syncOperations,
            { ...API, platform: 'ozon', status, tenant_id: TENANT },
            counter(phases, status === 'failure' ? bad : good),
          ),
        ),
    },
  };
}

/** Runs of the sync task, as the celery-exporter counts them from task events. */
function syncTaskRuns(phases: readonly Phase[]): InputSeries[] {
  const labels = { ...CELERY, name: SYNC_TASK, hostname: WORKER_HOST, queue_name: 'sync' };
  return [
    series(celery.tasksSucceeded, labels, counter(phases, good)),
    series(
      celery.tasksFailed,
      { ...labels, exception: '' },
      counter(phases, () => 0),
    ),
    series(celery.tasksFailed, { ...labels, exception: 'HTTPError' }, counter(phases, bad)),
  ];
}

/**
 * Two hours at 1.5 times the fast tier's rate, then 10 minutes without errors: the slow tier's
 * windows burn above its rate (6h by the two hours, 30m by their last 20 minutes), but the fast
 * tier's hour still holds the burn it paged for: the slow tier stays quiet instead of paging the tail.
 */
function fastBurnTail(indicator: Indicator, budget: number, window: Duration): QuietCase {
  const { budgetSpent, long } = WORKBOOK.FastBurn;
  const fastRate = (budgetSpent * window.millis) / long.millis;
  const burn = 1.5 * fastRate;
  return {
    name: `120m at ${go4g(burn)}x (the fast tier's rate is ${go4g(fastRate)}x), then 10m without errors: the tail of a fast burn`,
    input: indicator.traffic([
      { minutes: 120, perMinute: indicator.busy, errors: indicator.busy * budget * burn },
      { minutes: 15, perMinute: indicator.busy, errors: 0 },
    ]),
    at: minutes(130),
  };
}

/** The cases of one tier's alert of one SLO. */
function tierCases(
  alert: AlertRule,
  name: SloName,
  settings: SloSettings,
  indicator: Indicator,
  tier: BurnRateTier,
): AlertTestSuite {
  const { objective, window } = settings[name];
  const budget = (100 - objective) / 100;
  const { budgetSpent, long } = WORKBOOK[tier.name];
  // Never under 1x: slower, the budget outlasts the window (the workbook's ticket tier is 1x over 30 days).
  const rate = Math.max(1, (budgetSpent * window.millis) / long.millis);
  const { minimum, busy } = indicator;
  const short = tier.short;
  // Burning from the first sample: the condition holds from the first evaluation with a rate (1m).
  const activeFrom = minutes(1);
  const quietAt = activeFrom.plus(alert.for).plus(minutes(5));
  /** Steady traffic burning the budget `burn` times as fast as its burn rate, until `quietAt` and a little after. */
  const steady = (perMinute: number, errors: number): Phase[] => [
    { minutes: asMinutes(quietAt) + 5, perMinute, errors },
  ];
  const burning = (times: number) => steady(busy, busy * budget * rate * times);
  const firingBurn = rate * ABOVE;
  const fired = (caseName: string, input: InputSeries[], labels: Record<string, string>): FiringCase<string> => ({
    name: caseName,
    input,
    activeFrom,
    labels,
    value: go4g(firingBurn),
    // Burning since the first sample, the whole window's budget is overspent: nothing left, no time left.
    queries: {
      [SLO_QUERIES.budgetLeft]: `${go4g((1 - firingBurn) * 100)}%`,
      [SLO_QUERIES.timeToExhaustion]: '0s',
    },
  });
  const fires = [
    fired(
      `errors spend the budget ${go4g(firingBurn)}x as fast as ${window} allows`,
      indicator.traffic(burning(ABOVE)),
      {
        ...indicator.labels,
      },
    ),
    ...(name === 'syncSuccess'
      ? [
          fired(
            "the same, from the sync task's events when the application counts no syncs (all marketplaces)",
            syncTaskRuns(burning(ABOVE)),
            { platform: ALL_MARKETPLACES },
          ),
        ]
      : []),
  ];
  const longMinutes = asMinutes(long);
  // A burn, then no errors for long enough that the short window is clean and the tier's
  // keep_firing_for is over, while the long window still burns above the rate (the burn is strong
  // enough for the minutes of it the long window still holds): only the short window keeps the
  // alert quiet.
  const burnt = 2 * (asMinutes(short) + 5) + 10;
  const clean = asMinutes(short) + 5 + 2 + (tier.keepFiringFor ? asMinutes(tier.keepFiringFor) : 0);
  const times = Math.max(2, (1.5 * longMinutes) / Math.min(burnt, longMinutes - clean));
  // A handful of errors among enough events: 80% of the errors needed, 150% of the events.
  const fewErrors = { events: (minimum.events * 1.5) / longMinutes, errors: (minimum.errors * 0.8) / longMinutes };
  const trickle = minimum.events / 2 / longMinutes;
  const quiet: QuietCase[] = [
    { name: `just below: ${go4g(rate * BELOW)}x`, input: indicator.traffic(burning(BELOW)), at: quietAt },
    { name: 'no traffic: the counters stand still', input: indicator.traffic(steady(0, 0)), at: quietAt },
    {
      name: `a trickle: every event fails, but ${long} holds only half the ${minimum.events} events it needs`,
      input: indicator.traffic(steady(trickle, trickle)),
      at: quietAt,
    },
    {
      name: `${burnt}m at ${go4g(times)} times the burn rate, then ${clean}m without errors: ${long} still burns, ${short} no longer${tier.keepFiringFor ? ` and its keep_firing_for (${tier.keepFiringFor}) is over` : ''}`,
      input: indicator.traffic([
        { minutes: burnt, perMinute: busy, errors: busy * budget * rate * times },
        { minutes: clean + 5, perMinute: busy, errors: 0 },
      ]),
      at: minutes(burnt + clean),
    },
    ...(fewErrors.errors / fewErrors.events > budget * rate * ABOVE
      ? [
          {
            name: `a handful of errors: ${go4g(minimum.errors * 0.8)} in ${long}, fewer than the ${minimum.errors} needed`,
            input: indicator.traffic(steady(fewErrors.events, fewErrors.errors)),
            at: quietAt,
          },
        ]
      : []),
    ...(tier.name === 'SlowBurn' ? [fastBurnTail(indicator, budget, window)] : []),
  ];
  return casesFor(alert, { fires, quiet });
}

/** Every burn-rate alert's cases, by alert name, for the SLOs of `settings`. */
export function sloAlertCases(settings: SloSettings) {
  const { alerts } = sloRuleGroup(settings);
  const inputs = indicators(settings);
  const prefixes: Record<SloName, string> = {
    apiAvailability: 'APIAvailability',
    apiLatency: 'APILatency',
    syncSuccess: 'SyncSuccess',
  };
  return Object.fromEntries(
    (Object.keys(prefixes) as SloName[]).flatMap((name) =>
      BURN_RATE_TIERS.map((tier) => {
        const alertName = `${prefixes[name]}${tier.name}` as keyof typeof alerts;
        return [alertName, tierCases(alerts[alertName], name, settings, inputs[name], tier)];
      }),
    ),
  ) as { readonly [N in keyof typeof alerts]: AlertTestSuite };
}
