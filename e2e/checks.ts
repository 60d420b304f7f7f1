/**
 * What must hold on the running stack before any fault: every target up, every rule group loaded
 * and evaluating without failure, every alert expression and every dashboard panel query
 * answered by the real Prometheus (with data, where the loopback stack has the source).
 */
import { ALERTS, RULE_GROUPS } from '../domain/rules';
import { METRICS, Metric, allRecordings, seriesNames } from '../domain/metrics';
import { JOB, ScrapeJobKey } from '../core/components';
import { panelQueries } from '../domain/dashboards';
import { LoopbackStack } from '../testing/loopback-stack';
import { waitFor } from '../testing/processes';
import { PrometheusApi, RuleGroupStatus } from '../clients/prometheus';
import { Checklist, expectThat } from './report';

/** Jobs the loopback stack cannot run, and why (their targets, panels and alerts are not checked here). */
const NOT_ON_LOOPBACK: Partial<Record<ScrapeJobKey, string>> = {
  grafana: 'no Grafana server on this machine',
  cadvisor: 'cAdvisor needs Docker',
};

/** How long series need to appear after Prometheus' first scrapes (windows of a few scrapes). */
const DATA_TIMEOUT_MS = 30_000;

/**
 * Metrics Prometheus exposes only while a refresh-based discovery is configured (the deployed
 * stack's Docker discovery); the loopback stack scrapes static targets only. Proven on the real
 * Prometheus with a Docker discovery in __tests__/discovery-failing.test.ts.
 */
const ONLY_WITH_DISCOVERY: readonly Metric[] = [
  METRICS.prometheus.serviceDiscoveryRefreshFailures,
  METRICS.prometheus.serviceDiscoveryRefreshes,
];

export async function checkStack(stack: LoopbackStack, checklist: Checklist): Promise<void> {
  const prometheus = new PrometheusApi(stack.url('prometheus'));
  const unchecked = Object.entries(NOT_ON_LOOPBACK).map(([key, why]) => `${JOB[key as ScrapeJobKey]} (${why})`);

  await checklist.check('every scrape target is up', async () => {
    const jobs = await stack.waitForTargetsUp();
    const expected = Object.entries(stack.scrapeTargets()).filter(([, targets]) => targets.length > 0).length;
    expectThat(jobs.length === expected, `${jobs.length} targets up, expected ${expected}: ${jobs.join(', ')}`);
    return `${jobs.join(', ')}; not on loopback: ${unchecked.join(', ')}`;
  });

  await checkRuleGroupsLoaded(prometheus, checklist);

  await checkRuleEvaluations(prometheus, checklist, 'every rule evaluates without failure');

  await checklist.check('every alert and recording expression runs against the real Prometheus', async () => {
    const expressions = [...Object.values(ALERTS), ...allRecordings()].map((rule) => ({
      name: rule.name,
      expr: rule.expr.text,
    }));
    const failures: string[] = [];
    for (const { name, expr } of expressions)
      await prometheus.query(expr).catch((error: Error) => failures.push(`${name}: ${error.message}`));
    expectThat(failures.length === 0, failures.join('\n'));
    return `${expressions.length} expressions, as deployed (production windows)`;
  });

  await checklist.check('every metric an alert reads has series (the relabelling kept them)', async () => {
    const read = new Map(
      Object.values(ALERTS).flatMap((rule) => rule.expr.metrics.map((metric) => [metric.name, metric])),
    );
    const unscraped: string[] = Object.keys(NOT_ON_LOOPBACK).map((key) => JOB[key as ScrapeJobKey]);
    const checked = [...read.values()].filter(
      (metric) => !unscraped.includes(metric.source) && !metric.newerOnly && !ONLY_WITH_DISCOVERY.includes(metric),
    );
    let missing: string[] = [];
    await waitFor(
      'series of every metric alerts read',
      async () => {
        const counts = await Promise.all(
          checked.map(
            async (metric) => (await prometheus.query(`count({__name__=~"${seriesNames(metric).join('|')}"})`)).length,
          ),
        );
        missing = checked.filter((_, i) => counts[i] === 0).map((metric) => metric.name);
        return missing.length === 0;
      },
      DATA_TIMEOUT_MS,
      1_000,
    ).catch(() => {
      throw new Error(`no series: ${missing.join(', ')}`);
    });
    const skipped = [...read.values()]
      .filter((metric) => !checked.includes(metric))
      .map(
        (metric) =>
          `${metric.name} (${metric.newerOnly ? `exporter ${metric.newerOnly.since}+` : ONLY_WITH_DISCOVERY.includes(metric) ? 'Docker discovery' : metric.source})`,
      );
    return `${checked.length} metrics; not on loopback: ${skipped.join(', ') || 'none'}`;
  });

  await checklist.check(
    'every dashboard panel query runs; every panel with a source on loopback has data',
    async () => {
      const queries = panelQueries();
      // Run but not checked for data: cAdvisor's (it needs Docker), the discovery counters (no discovery
      // here) and panels empty on a healthy service.
      const whyNoData = (query: (typeof queries)[number]) =>
        query.metrics.some((metric) => metric.source === JOB.cadvisor)
          ? 'cAdvisor needs Docker'
          : query.metrics.some((metric) => ONLY_WITH_DISCOVERY.includes(metric))
            ? 'no service discovery on loopback'
            : query.emptyWhenHealthy && `empty ${query.emptyWhenHealthy}`;
      const checked = queries.filter((query) => whyNoData(query) === undefined);
      const label = (query: (typeof queries)[number]) => `${query.dashboardUid} / ${query.panelTitle} (${query.refId})`;
      let empty: string[] = [];
      await waitFor(
        'every panel query to return data',
        async () => {
          const answers = await Promise.all(
            checked.map(async (query) => ({ query, series: await prometheus.query(query.expr) })),
          );
          empty = answers.filter((answer) => answer.series.length === 0).map((answer) => label(answer.query));
          return empty.length === 0;
        },
        DATA_TIMEOUT_MS,
        1_000,
      ).catch((error: Error) => {
        throw new Error(empty.length > 0 ? `no data: ${empty.join('; ')}` : error.message);
      });
      const runOnly = queries.filter((query) => whyNoData(query) !== undefined);
      for (const query of runOnly) await prometheus.query(query.expr);
      const reasons = [...new Set(runOnly.map((query) => `${query.panelTitle} (${whyNoData(query)})`))];
      return `${checked.length} queries with data; ${runOnly.length} run but not checked for data: ${reasons.join(', ')}`;
    },
  );

  await checklist.check('the Watchdog heartbeat reaches its URL', async () => {
    const beat = await waitFor(
      'a Watchdog heartbeat',
      async () => stack.telegram.otherRequests.find((request) => request.path === '/heartbeat'),
      15_000,
    );
    expectThat(
      beat.body.includes('"alertname":"Watchdog"'),
      `the heartbeat is not the Watchdog's: ${beat.body.slice(0, 200)}`,
    );
    return `POST ${beat.path}`;
  });
}

/** Every rule group of rules/ loaded by Prometheus, each with all its rules. */
export async function checkRuleGroupsLoaded(prometheus: PrometheusApi, checklist: Checklist): Promise<void> {
  await checklist.check('every rule group is loaded, each with all its rules', async () => {
    const loaded = await prometheus.ruleGroups();
    const summary = (groups: { name: string; rules: readonly unknown[] }[]) =>
      groups
        .map((group) => `${group.name}:${group.rules.length}`)
        .sort()
        .join(' ');
    expectThat(
      summary(loaded) === summary([...RULE_GROUPS]),
      `Prometheus loaded ${summary(loaded)}, rules/ has ${summary([...RULE_GROUPS])}`,
    );
    return summary(loaded);
  });
}

/**
 * Every rule healthy, and Prometheus' own failure counter at zero.
 * @param evaluatedWithinMs how long every rule may take to have been evaluated once; @default 10 s
 */
export async function checkRuleEvaluations(
  prometheus: PrometheusApi,
  checklist: Checklist,
  name: string,
  evaluatedWithinMs = 10_000,
): Promise<void> {
  await checklist.check(name, async () => {
    const groups = await waitFor(
      'every rule to be evaluated',
      async () => {
        const loaded = await prometheus.ruleGroups();
        return loaded.every((group) => group.rules.every((rule) => rule.health !== 'unknown')) && loaded;
      },
      evaluatedWithinMs,
      250,
    );
    const broken = groups.flatMap((group: RuleGroupStatus) =>
      group.rules.filter((rule) => rule.health !== 'ok').map((rule) => `${group.name}/${rule.name}: ${rule.lastError}`),
    );
    expectThat(broken.length === 0, broken.join('\n'));
    const failures = await prometheus.value('sum(prometheus_rule_evaluation_failures_total)');
    expectThat(failures === 0, `prometheus_rule_evaluation_failures_total is ${failures}`);
    return `${groups.reduce((count, group) => count + group.rules.length, 0)} rules healthy, 0 evaluation failures`;
  });
}
