/**
 * The SLOs as the domain serves them: a configuration the catalog or the burn-rate tiers cannot
 * serve is refused naming the variable and value (before anything is written), and the generated
 * rules and the error-budget dashboard follow the configured objective and window.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, ConfigProblem } from '../config/errors';
import { loadMonitoringConfig } from '../config/load';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { ruleConfigProblems, ruleGroups, renderRuleFiles } from '../domain/rules';
import { renderDashboards } from '../domain/dashboards';
import { synthesize } from '../main';

function problemsOf(env: NodeJS.ProcessEnv): ConfigProblem[] {
  try {
    loadMonitoringConfig(env, undefined, [ruleConfigProblems]);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('SLOs the catalog and the tiers cannot serve are refused', () => {
  test('a latency threshold between two bucket bounds, naming the variable, the value and the bounds', () => {
    const problems = problemsOf({ SLO_API_LATENCY_THRESHOLD: '0.75' });
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'slo.apiLatency.threshold',
        value: 0.75,
        source: { variable: 'SLO_API_LATENCY_THRESHOLD' },
      }),
    ]);
    expect(problems[0].reason).toContain('0.5, 1, 2.5');
    expect(problemsOf({ SLO_API_LATENCY_THRESHOLD: '0.5' })).toEqual([]);
  });

  test('an objective so low the fast tier would need more than 100% errors, naming the lowest that works', () => {
    // 14.4 x the budget must stay under 1: 100 - 100 / 14.4 = 93.055..., so 93.06 is the lowest.
    const [problem] = problemsOf({ SLO_SYNC_SUCCESS_OBJECTIVE: '93.05' });
    expect(problem).toMatchObject({
      field: 'slo.syncSuccess.objective',
      value: 93.05,
      source: { variable: 'SLO_SYNC_SUCCESS_OBJECTIVE' },
    });
    expect(problem.reason).toContain('FastBurn tier');
    expect(problem.reason).toContain('at least 93.06');
    expect(problemsOf({ SLO_SYNC_SUCCESS_OBJECTIVE: '93.06' })).toEqual([]);
  });

  test('synthesize throws before creating the output directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stm-slo-'));
    try {
      const outdir = join(dir, 'out');
      await expect(synthesize({ SLO_API_LATENCY_THRESHOLD: '0.75' }, { outdir })).rejects.toThrow(
        'SLO_API_LATENCY_THRESHOLD',
      );
      expect(existsSync(outdir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the generated rules and dashboard follow the configuration', () => {
  const config = parseMonitoringConfig({
    slo: { apiAvailability: { objective: 99.9, window: '28d' }, apiLatency: { threshold: 0.5 } },
  });
  const file = renderRuleFiles(ruleGroups(config.slo)).find((rendered) => rendered.path === 'rules/slo.yml');
  const rules = (
    parse(file?.content ?? '') as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] }
  ).groups[0].rules;
  const expr = (name: string) => rules.find((rule) => rule.alert === name || rule.record === name)?.expr;

  test('objective 99.9% over 28d: a budget of 0.1% and the workbook rates for 28 days (13.44x, 5.6x)', () => {
    expect(expr('APIAvailabilityFastBurn')).toContain('job:slo_api_availability_errors:ratio_rate1h / 0.001 > 13.44');
    expect(expr('APIAvailabilitySlowBurn')).toContain('job:slo_api_availability_errors:ratio_rate6h / 0.001 > 5.6');
    expect(expr('job:slo_api_availability_errors:ratio_rate28d')).toBeDefined();
    expect(expr('job:slo_api_availability_errors:ratio_rate30d')).toBeUndefined();
    // The other SLOs keep their defaults.
    expect(expr('SyncSuccessFastBurn')).toContain('/ 0.01 > 14.4');
  });

  test('a latency threshold of 0.5 s counts the requests above the 0.5 bucket', () => {
    expect(expr('job:slo_api_latency_errors:rate5m')).toContain('http_request_duration_seconds_bucket{le="0.5"}');
  });

  test('the error-budget dashboard states the configured promise', () => {
    const budgets = renderDashboards({ alertmanager: config.alerting.externalUrl }, config.slo).find(
      (dashboard) => dashboard.uid === 'stock-tracker-error-budgets',
    );
    expect(budgets?.json).toContain('99.9% of API requests answered without a 5xx over 28d');
    expect(budgets?.json).toContain('99% of API requests answered within 0.5s over 30d');
  });
});
