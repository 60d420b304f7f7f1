/**
 * The SLOs' rules, generated from `config.slo`: each SLO's recordings (domain/metrics/slo.ts) and,
 * per burn-rate tier of the Google SRE workbook, one alert that fires when the error ratio over
 * both of the tier's windows spends the budget that fast, judged only over enough events. The
 * tiers of one SLO hold the slower ones back, and the SLO's pages hold back the seed threshold
 * alert on the same SLI (domain/alerting/inhibitions.ts).
 */
import { Duration } from '../../../core/duration';
import { SloSettings } from '../../../config/slo-settings';
import {
  BURN_RATE_TIERS,
  BurnRateTier,
  Slo,
  SloMatchers,
  SloSet,
  budgetLeft,
  burnRate,
  burnRateOver,
  slos,
  sloList,
  timeToExhaustion,
} from '../../metrics/slo';
import { and, gt, overTime, unless } from '../../metrics/promql';
import { burnRatePanelTitle } from '../../dashboards/error-budget';
import { guardText, withEnoughEvents } from '../conditions';
import { $label, $query, $value, AlertRule, Template, alert, labelHole, ruleGroup, t } from '../model';

/** The label every burn-rate alert carries: which SLO (`api-availability`). */
export const SLO_LABEL = 'slo';

type TierName = BurnRateTier['name'];
type AlertsOf<P extends string, L extends string> = { readonly [T in TierName as `${P}${T}`]: AlertRule<L> };

/** The names of the query holes of a burn-rate alert's message, for test expectations. */
export const SLO_QUERIES = { budgetLeft: 'budgetLeft', timeToExhaustion: 'timeToExhaustion' } as const;

/**
 * The share of the SLO window's budget a tier's rate spends in its long window, as the `tier`
 * annotation prints it: `2%`, or `42.9%` for the ticket tier over a 7-day window (never under 1x).
 */
function budgetShare(rate: number, long: Duration, window: Duration): string {
  return `${Number(((rate * long.millis * 100) / window.millis).toPrecision(3))}%`;
}

/**
 * The page tiers faster than `tier` (same severity, earlier in BURN_RATE_TIERS). A slower page
 * speaks only where their long windows do not burn: a fast burn is a slow one too, and the slow
 * tier's 30-minute window, which outlasts the fast tier's 5 minutes, would page a second time for
 * the tail of the incident the fast tier told (the workbook, and Sloth, make both tiers one page
 * alert; here each keeps its name and `for`, and tells its own burns). The fast tier's hour still
 * holds the incident while the slow tier's 30 minutes do, for any burn above about 15x; between
 * 14.4x and 15x the gap can outlast the slow tier's `for` and the tail pages once.
 */
function fasterPages(tier: BurnRateTier): BurnRateTier[] {
  const index = BURN_RATE_TIERS.indexOf(tier);
  return BURN_RATE_TIERS.slice(0, index).filter((faster) => faster.severity === tier.severity);
}

/**
 * The alert of one tier of one SLO. `where` says which series it is about (the marketplace of a
 * sync SLO), `matchers` pick the alert's own series in the message's queries.
 */
function burnRateAlert<L extends string>(
  slo: Slo<L>,
  tier: BurnRateTier,
  where: Template<L, never>,
  matchers: SloMatchers<L>,
): AlertRule<L> {
  const rate = burnRate(tier, slo.window);
  const burningAt = (window: Duration, level: number) => gt(burnRateOver(slo, window), level);
  const burning = (window: Duration) => burningAt(window, rate);
  const ownBurn = fasterPages(tier).reduce(
    (condition, faster) => unless(condition, burningAt(faster.long, burnRate(faster, slo.window))),
    and(burning(tier.long), burning(tier.short)),
  );
  return alert({
    name: `${slo.alertPrefix}${tier.name}`,
    expr: withEnoughEvents(
      ownBurn,
      {
        events: overTime('avg_over_time', slo.events, tier.long),
        errors: overTime('avg_over_time', slo.errors, tier.long),
      },
      tier.long,
      slo.minimum,
    ),
    for: tier.for,
    ...(tier.keepFiringFor ? { keepFiringFor: tier.keepFiringFor } : {}),
    severity: tier.severity,
    labels: { [SLO_LABEL]: slo.id },
    runbook: `${slo.alertPrefix}SLO`,
    panel: { dashboard: 'errorBudgets', title: burnRatePanelTitle(slo) },
    summary: t`${slo.title}${where}: error budget burning ${$value('number')}x over ${tier.long.toString()}`,
    description: t`Objective: ${slo.promise}. Budget left: ${$query({
      name: SLO_QUERIES.budgetLeft,
      expr: budgetLeft(slo, matchers),
      labels: slo.by,
      format: 'percent',
      fallback: 'unknown',
    })}; at this rate it is spent in ${$query({
      name: SLO_QUERIES.timeToExhaustion,
      expr: timeToExhaustion(slo, tier.long, matchers),
      labels: slo.by,
      format: 'duration',
      fallback: 'an unknown time',
    })}.`,
    annotations: {
      tier: `${budgetShare(rate, tier.long, slo.window)} of the ${slo.window} error budget in ${tier.long}: burn rate above ${rate} over ${tier.long} and ${tier.short}`,
      guard: guardText(tier.long, slo.minimum),
    },
  });
}

function tiersOf<L extends string, P extends string>(
  slo: Slo<L, P>,
  where: Template<L, never>,
  matchers: SloMatchers<L>,
): AlertsOf<P, L> {
  return Object.fromEntries(
    BURN_RATE_TIERS.map((tier) => [`${slo.alertPrefix}${tier.name}`, burnRateAlert(slo, tier, where, matchers)]),
  ) as AlertsOf<P, L>;
}

const nowhere = t``;

/** The burn-rate alerts of every SLO of `set`, by name. */
function burnRateAlerts(set: SloSet) {
  const api = { job: labelHole('job') };
  return {
    ...tiersOf(set.apiAvailability, nowhere, api),
    ...tiersOf(set.apiLatency, nowhere, api),
    ...tiersOf(set.syncSuccess, t` (${$label('platform')})`, { platform: labelHole('platform') }),
  };
}

/** The `slo` rule group of `settings`: every SLO's recordings, then its burn-rate alerts. */
export function sloRuleGroup(settings: SloSettings) {
  const set = slos(settings);
  return ruleGroup(
    'slo',
    sloList(set).flatMap((slo) => slo.recordings),
    burnRateAlerts(set),
  );
}
