/**
 * The metric contracts of the application's targets, as Prometheus scraped them: for every target
 * of a contract's job, which of its metrics are present, which are missing, and which carry other
 * labels than the catalog's (a renamed label keeps every rule on it silent). The same contracts
 * the blind-spot warnings watch (domain/rules/blind-spots.ts), so the report names the same blind alerts
 * and panels. Read through Prometheus' API, so it works where this host cannot reach `api:8000`.
 */
import { MetricContract, METRIC_CONTRACTS, blindAlerts, blindPanels } from '../../domain/rules/blind-spots';
import { Metric, TARGET_LABELS, seriesNames } from '../../domain/metrics';
import { Check, CheckComponent, CheckOutcome, failed, listed, once, passed } from './check';
import { HttpClient } from '../../clients/http';
import { PrometheusApi } from '../../clients/prometheus';
import { CheckTargets } from './targets';

/** What one target exposes of one contract. */
export interface ContractReport {
  instance: string;
  present: string[];
  missing: string[];
  /** `name has {a, b}, expected {a, c}` for each present metric with other label names. */
  wrongLabels: string[];
}

/** Label names a metric's own series carry (Prometheus adds `job` and `instance`; a histogram's `le` is its bucket). */
function ownLabelNames(metric: Metric): string[] {
  return Object.keys(metric.labels)
    .filter((name) => !(name in TARGET_LABELS))
    .sort();
}

/** The series name whose labels stand for the metric's (a histogram's `_count`). */
function probe(metric: Metric): string {
  return metric.type === 'histogram' ? `${metric.name}_count` : metric.name;
}

/** Judges the label sets Prometheus holds for one target against the contract's metrics. */
export function judgeContract(
  contract: MetricContract,
  instance: string,
  series: readonly Record<string, string>[],
): ContractReport {
  const report: ContractReport = { instance, present: [], missing: [], wrongLabels: [] };
  for (const metric of contract.metrics) {
    const found = series.filter((labels) => labels.__name__ === probe(metric));
    if (found.length === 0) {
      report.missing.push(metric.name);
      continue;
    }
    report.present.push(metric.name);
    const expected = ownLabelNames(metric);
    const seen = [...new Set(found.flatMap((labels) => Object.keys(labels)))]
      .filter((name) => name !== '__name__' && !(name in TARGET_LABELS))
      .sort();
    if (seen.join(',') !== expected.join(','))
      report.wrongLabels.push(`${metric.name} has {${seen.join(', ')}}, expected {${expected.join(', ')}}`);
  }
  return report;
}

/** One line for the table: what is there, what is not, and what goes blind. */
export function contractOutcome(contract: MetricContract, report: ContractReport, firing: boolean): CheckOutcome {
  const count = `${report.present.length}/${contract.metrics.length} present`;
  // A labelled series is born with its first event (a db error, a failed task): one present is enough.
  const unseen = report.missing.length > 0 ? `; not seen yet: ${listed(report.missing, 3)}` : '';
  // A contract that is due only while its job works (task events, once tasks ran) is judged by its alert.
  const due = contract.atWork === undefined || firing;
  const problems = [
    ...(report.present.length === 0 && due ? [`missing all: ${listed(report.missing, 3)}`] : []),
    ...(report.wrongLabels.length > 0 ? [`wrong labels: ${listed(report.wrongLabels, 2)}`] : []),
    ...(firing ? [`${contract.alert} is firing`] : []),
  ];
  if (problems.length === 0)
    return passed(
      report.present.length === 0
        ? `${count}: none due yet (${contract.alert} tells once they are)`
        : `${count}${unseen}`,
    );
  const alerts = blindAlerts(contract);
  const blind =
    report.present.length === 0 || firing
      ? `; blind: ${alerts.length > 0 ? `${listed(alerts, 3)} and ` : ''}${blindPanels(contract).length} panels`
      : '';
  return failed(`${count}; ${problems.join('; ')}${blind}`);
}

/** What skipping leaves a contract out: the API's are about the API; Celery's stand whoever runs the exporter. */
function aboutOf(contract: MetricContract): { about?: CheckComponent } {
  return contract.job === 'api' ? { about: 'api' } : {};
}

export function contractChecks(targets: CheckTargets, http: HttpClient): Check[] {
  const api = new PrometheusApi(targets.urls.prometheus, http);
  const targetsOnce = once(() => api.targets());
  const firingOnce = once(
    async () =>
      new Set(
        (await api.query('ALERTS{alertstate="firing"}')).map(
          (sample) => `${sample.metric.alertname} ${sample.metric.instance}`,
        ),
      ),
  );
  return METRIC_CONTRACTS.map((contract: MetricContract) => ({
    component: 'prometheus' as const,
    ...aboutOf(contract),
    name: `${contract.what} of job ${contract.job}`,
    async run() {
      const up = (await targetsOnce()).filter((target) => target.scrapePool === contract.job && target.health === 'up');
      if (up.length === 0) return failed(`no target of job ${contract.job} is up: nothing to judge`);
      const firing = await firingOnce();
      const names = contract.metrics.flatMap(seriesNames).join('|');
      const outcomes = await Promise.all(
        up.map(async (target) => {
          const instance = target.labels.instance;
          // An instant query: the series the target exposes now (the series API would also list those gone stale).
          const series = (await api.query(`{job="${contract.job}",instance="${instance}",__name__=~"${names}"}`)).map(
            (sample) => sample.metric,
          );
          const outcome = contractOutcome(
            contract,
            judgeContract(contract, instance, series),
            firing.has(`${contract.alert} ${instance}`),
          );
          return { ...outcome, detail: `${instance}: ${outcome.detail}` };
        }),
      );
      return outcomes.every((outcome) => outcome.ok)
        ? passed(outcomes.map((o) => o.detail).join('; '))
        : failed(
            outcomes
              .filter((o) => !o.ok)
              .map((o) => o.detail)
              .join('; '),
          );
    },
  }));
}
