/**
 * "Stock Tracker - Error budgets": each SLO of the configuration on one line of panels, read from
 * the recordings its burn-rate alerts read (domain/metrics/slo.ts): how much of the window's error
 * budget is left and when it is spent at the last hour's pace, how fast each window burns it (the
 * tiers' levels in the description), and the SLI against its objective.
 */
import { Duration } from '../../core/duration';
import { SloSettings } from '../../config/slo-settings';
import { select, subtractFrom, vector } from '../metrics/promql';
import { RATE_WINDOW } from '../metrics/recordings';
import {
  BURN_RATE_TIERS,
  Slo,
  budgetLeft,
  burnRate,
  burnRateOver,
  slos,
  sloList,
  timeToExhaustion,
} from '../metrics/slo';
import { DashboardDefinition, Section, section } from './layout';
import { query, statPanel, timeSeriesPanel } from './panels';

export const ERROR_BUDGET_UID = 'stock-tracker-error-budgets';

/** The pace the budget-left panel extrapolates: the fast tier's long window, the hour the message speaks of. */
const PACE_WINDOW = BURN_RATE_TIERS[0].long;

/** The windows whose burn rates are drawn: every tier's two, shortest first. */
function burnWindows(): Duration[] {
  const all = BURN_RATE_TIERS.flatMap((tier) => [tier.short, tier.long]);
  return all.filter((w, i) => all.findIndex((other) => other.equals(w)) === i).sort((a, b) => a.compare(b));
}

/** Where an SLI's chart starts: ten budgets below 100% (95% for 99.5%), never below 0. */
export function sliScaleBottom(slo: Pick<Slo, 'budget'>): number {
  return Math.max(0, Number((1 - 10 * slo.budget).toPrecision(12)));
}

/** The title of an SLO's burn-rate panel, the one its alerts link (`dashboard_url`). */
export function burnRatePanelTitle(slo: Pick<Slo, 'title'>): string {
  return `${slo.title}: burn rate per window`;
}

/** `{{platform}} 1h`, or `1h` for an SLO of the whole API (its one `job`). */
function legend(slo: Slo, what: string): string {
  return slo.by.includes('platform') ? `{{platform}} ${what}` : what;
}

function sloSection(slo: Slo): Section {
  const levels = BURN_RATE_TIERS.map(
    (tier) => `${tier.name} above ${burnRate(tier, slo.window)} over ${tier.long} and ${tier.short} (${tier.severity})`,
  ).join(', ');
  return section(`${slo.title}: ${slo.promise}`, [
    statPanel({
      title: `${slo.title}: budget left`,
      description: `Share of the ${slo.window} error budget (${Number((slo.budget * 100).toPrecision(4))}% of the events may be errors) not spent yet; below 0 it is overspent. The burn-rate alerts' messages say the same.`,
      unit: 'ratio',
      queries: [query(budgetLeft(slo), legend(slo, 'left'))],
    }),
    statPanel({
      title: `${slo.title}: spent in`,
      description: `When the budget left is spent if errors go on at the pace of the last ${PACE_WINDOW}: 0 once it is spent, empty without errors in the last ${PACE_WINDOW}.`,
      unit: 'seconds',
      queries: [query(timeToExhaustion(slo, PACE_WINDOW), legend(slo, 'spent in'))],
      emptyWhenHealthy: `without ${slo.title} errors in the last ${PACE_WINDOW}`,
    }),
    timeSeriesPanel({
      title: burnRatePanelTitle(slo),
      description: `How many times faster than ${slo.window} allows each window spends the budget: 1 spends exactly the budget by the end of the window. The alerts fire when both windows of a tier are above its rate: ${levels}.`,
      unit: 'count',
      queries: burnWindows().map((window) => query(burnRateOver(slo, window), legend(slo, window.toString()))),
    }),
    timeSeriesPanel({
      title: `${slo.title}: SLI`,
      description: `Share of good events over 5 minutes and over the whole ${slo.window}, against the objective of ${slo.objective}%. The scale starts at ${Number((100 - 1000 * slo.budget).toPrecision(4))}%: ten times the errors the objective allows.`,
      unit: 'ratio',
      min: sliScaleBottom(slo),
      queries: [
        ...[RATE_WINDOW, slo.window].map((window) =>
          query(subtractFrom(1, select(slo.ratio(window))), legend(slo, window.toString())),
        ),
        query(vector(slo.objective / 100), 'objective'),
      ],
    }),
  ]);
}

export function errorBudgetDashboard(settings: SloSettings): DashboardDefinition {
  return {
    uid: ERROR_BUDGET_UID,
    title: 'Stock Tracker - Error budgets',
    description:
      'The service level objectives: budget left, burn rate per window and the SLI, per SLO. The burn-rate alerts (runbooks APIAvailabilitySLO, APILatencySLO, SyncSuccessSLO) read the same recordings.',
    refresh: Duration.minutes(1),
    timeRange: Duration.days(7),
    variables: [],
    links: () => [],
    sections: sloList(slos(settings)).map(sloSection),
  };
}
