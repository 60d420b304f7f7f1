/**
 * Every alert names the Grafana panel that shows its condition, and carries it as `dashboard_url`:
 * `<grafana.publicUrl>/d/<uid>?viewPanel=<id>` with the uid and id the rendered dashboards have,
 * on a panel that reads what the alert reads. A panel that does not exist does not compile (the
 * `@ts-expect-error` below: tsc fails if it compiles) and is refused at render, naming it.
 */
import { parse } from 'yaml';
import { loadMonitoringConfig } from '../config/load';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { PanelRef, panelName, panelReadings, panelUrl, renderDashboards } from '../domain/dashboards';
import { Metric } from '../domain/metrics';
import { Recording } from '../domain/metrics/recordings';
import { METRIC_CONTRACTS } from '../domain/rules/blind-spots';
import { ALERTS, AlertRule, RULE_GROUPS, RuleSpec, alert, renderRuleFiles, ruleGroupSpecs, t } from '../domain/rules';
import { eq, select } from '../domain/metrics/promql';
import { METRICS } from '../domain/metrics';
import { Duration } from '../core/duration';

const GRAFANA = 'https://grafana.example.com';

interface ModelPanel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboards = renderDashboards({ alertmanager: 'http://localhost:9093' }).map((dashboard) => ({
  uid: dashboard.uid,
  panels: (JSON.parse(dashboard.json) as { panels: ModelPanel[] }).panels,
}));

const rendered: RuleSpec[] = ruleGroupSpecs(RULE_GROUPS, { grafanaUrl: GRAFANA }).flatMap((group) =>
  group.rules.filter((rule) => rule.alert !== undefined),
);

/** The metric names an expression reads, recordings replaced by what they read. */
function readNames(metrics: readonly Metric[]): string[] {
  return metrics.flatMap((metric) =>
    metric.source === 'recording' ? [metric.name, ...readNames((metric as Recording).expr.metrics)] : [metric.name],
  );
}

describe('every alert links the panel that shows its condition', () => {
  test('dashboard_url is <grafana>/d/<uid>?viewPanel=<id> of a panel of that title on that dashboard', () => {
    const wrong = rendered.flatMap((rule) => {
      const rule_ = (Object.values(ALERTS) as AlertRule[]).find((candidate) => candidate.name === rule.alert)!;
      const match = /^https:\/\/grafana\.example\.com\/d\/([a-z-]+)\?viewPanel=(\d+)$/.exec(
        rule.annotations?.dashboard_url ?? '',
      );
      const panel = dashboards
        .find((dashboard) => dashboard.uid === match?.[1])
        ?.panels.find((candidate) => candidate.id === Number(match?.[2]));
      return panel?.title === rule_.panel.title && panel.type !== 'row'
        ? []
        : [`${rule.alert}: ${rule.annotations?.dashboard_url} is not the panel "${rule_.panel.title}"`];
    });
    expect(wrong).toEqual([]);
    expect(rendered.length).toBe(Object.keys(ALERTS).length);
  });

  test("the panel reads a metric the alert reads, or its blind-spot contract names (the Watchdog's, Alertmanager's deliveries, which carry its heartbeat)", () => {
    const unrelated = (Object.values(ALERTS) as AlertRule[])
      .filter((rule) => rule.expr.metrics.length > 0)
      .flatMap((rule) => {
        const panel = panelReadings().find((reading) => reading.name === panelName(rule.panel))!;
        const panelReads = readNames(panel.metrics);
        // A blind-spot warning is about its contract's metrics (its expression reads only what shows their presence).
        const contract = METRIC_CONTRACTS.find((candidate) => candidate.alert === rule.name);
        const alertReads = readNames(contract?.metrics ?? rule.expr.metrics);
        return alertReads.some((name) => panelReads.includes(name))
          ? []
          : [`${rule.name}: panel "${panel.name}" reads none of ${alertReads.join(', ')}`];
      });
    expect(unrelated).toEqual([]);
    expect(panelUrl(ALERTS.Watchdog.panel, GRAFANA)).toBe(
      panelUrl(ALERTS.AlertmanagerNotificationsFailing.panel, GRAFANA),
    );
  });

  test('a panel the dashboard does not have does not compile, and is refused at render naming it', () => {
    // @ts-expect-error no panel of the overview has this title
    const typo: PanelRef = { dashboard: 'overview', title: 'API Status' };
    expect(() => panelUrl(typo, GRAFANA)).toThrow(
      'dashboard "Stock Tracker - Overview" (overview) has no panel titled "API Status"',
    );
    const misnamed = alert({
      name: 'ProbeDown',
      expr: eq(select(METRICS.scrape.up, { job: 'api' }), 0),
      for: Duration.minutes(1),
      severity: 'warning',
      panel: typo,
      summary: t`probe down`,
      description: t`probe down`,
    });
    expect(() => renderRuleFiles([{ name: 'probe', rules: [misnamed] }])).toThrow(/has no panel titled "API Status"/);
  });
});

describe("Grafana's public URL", () => {
  const dashboardUrl = (config = parseMonitoringConfig()) => {
    const [file] = renderRuleFiles([RULE_GROUPS[0]], { grafanaUrl: config.grafana.publicUrl });
    const groups = (parse(file.content) as { groups: { rules: RuleSpec[] }[] }).groups;
    return groups[0].rules.find((rule) => rule.alert === 'APIDown')?.annotations?.dashboard_url;
  };

  test('default: the port Grafana is published on, on localhost; GRAFANA_PUBLIC_URL sets it', () => {
    expect(dashboardUrl()).toBe('http://localhost:3000/d/stock-tracker-overview?viewPanel=2');
    expect(dashboardUrl(parseMonitoringConfig({ components: { grafana: { port: 3300 } } }))).toMatch(
      /^http:\/\/localhost:3300\/d\//,
    );
    expect(dashboardUrl(loadMonitoringConfig({ GRAFANA_PUBLIC_URL: 'https://ops.example.com/grafana' }))).toBe(
      'https://ops.example.com/grafana/d/stock-tracker-overview?viewPanel=2',
    );
  });

  test('a URL a message cannot carry as is is refused, naming the variable and the value', () => {
    for (const url of ['https://grafana.example.com/', 'grafana.example.com', 'https://g.example.com/?orgId=1']) {
      expect(() => loadMonitoringConfig({ GRAFANA_PUBLIC_URL: url })).toThrow(
        `GRAFANA_PUBLIC_URL (setting grafana.publicUrl): ${JSON.stringify(url)} is not valid: expected an http(s) URL of at most 100 characters without a trailing slash`,
      );
    }
  });
});
