/**
 * Why the scrape interval is bounded (domain/rules/windows.ts), shown with the real promtool: half
 * the API's requests fail and the CPU is fully busy for an hour. Scraped every 37.5s (the longest
 * interval accepted, four samples in the rules' shortest range, HighErrorRate's 2m30s) HighErrorRate
 * and HighCPUUsage fire; at
 * 3m, which the configuration refuses, rate() over 5m holds one sample or two and neither ever does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Duration } from '../core/duration';
import { METRICS } from '../domain/metrics';
import { RULE_GROUPS, renderRuleFiles, shortestRange } from '../domain/rules';
import { InputSeries, series } from '../domain/rules/unit-tests';
import { describeOnProgramSets } from '../testing/program-sets';
import { runPromtool } from '../testing/promtool';

const API = { job: 'api', instance: 'api:8000' } as const;
const NODE = { job: 'node-exporter', instance: 'node-exporter:9100' } as const;
const HOUR = Duration.minutes(60);

/** An hour of 50 % errors and a CPU never idle, sampled every `interval`. */
function outage(interval: Duration): InputSeries[] {
  const samples = HOUR.millis / interval.millis;
  const perSample = interval.seconds; // one request a second of each status
  const requests = (status: '200' | '500') =>
    series(
      METRICS.app.httpRequests,
      { ...API, method: 'GET', endpoint: '/api/v1/products/', status },
      `0+${perSample}x${samples}`,
    );
  return [
    requests('200'),
    requests('500'),
    series(METRICS.node.cpuSeconds, { ...NODE, cpu: '0', mode: 'idle' }, `0x${samples}`),
    series(METRICS.node.cpuSeconds, { ...NODE, cpu: '0', mode: 'user' }, `0+${perSample}x${samples}`),
  ];
}

/** The firing alerts at each minute from 10 to 59, as promtool's expression tests expect them. */
function firingChecks(firing: boolean) {
  return Array.from({ length: 50 }, (_, i) => ({
    expr: 'count by (alertname) (ALERTS{alertname=~"HighErrorRate|HighCPUUsage", alertstate="firing"})',
    eval_time: `${10 + i}m`,
    exp_samples: firing
      ? [
          { labels: '{alertname="HighCPUUsage"}', value: 1 },
          { labels: '{alertname="HighErrorRate"}', value: 1 },
        ]
      : [],
  }));
}

describeOnProgramSets('the scrape interval against the rules, with the real promtool', ['promtool'], (programs) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stm-interval-'));
    for (const file of renderRuleFiles(
      RULE_GROUPS.filter((group) => ['stock-tracker-api', 'host'].includes(group.name)),
    )) {
      writeFileSync(join(dir, file.path.replace('rules/', '')), file.content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function promtoolTest(interval: Duration, firing: boolean): Promise<string> {
    const file = join(dir, `interval-${interval}.test.yml`);
    writeFileSync(
      file,
      stringify({
        rule_files: ['stock-tracker-api.yml', 'host.yml'],
        evaluation_interval: '15s',
        tests: [
          { interval: interval.toString(), input_series: outage(interval), promql_expr_test: firingChecks(firing) },
        ],
      }),
    );
    return (await runPromtool(programs.binary('promtool'), ['test', 'rules', file], { cwd: dir })).output;
  }

  test('at the longest accepted interval, 37.5s, both alerts fire from 10 minutes on', async () => {
    const longest = Duration.millis(shortestRange(RULE_GROUPS).millis / 4);
    expect(longest.toString()).toBe('37s500ms');
    expect(await promtoolTest(longest, true)).toContain('SUCCESS');
  });

  test('at 3m, refused by the configuration, neither ever fires', async () => {
    expect(await promtoolTest(Duration.minutes(3), false)).toContain('SUCCESS');
  });
});
