/**
 * A cause keeps firing after it clears (keep_firing_for), so the alerts it holds back do not slip
 * out while they clear: the API and the workers for CAUSE_RECOVERY (2m), their effects stop with
 * them; PostgreSQL and Redis for BACKEND_RECOVERY (7m), past the windows of the errors
 * they caused. HighErrorRate, which holds back the availability pages, keeps firing for
 * EFFECTS_CLEAR (3m30s). Shown with the real promtool on
 * RedisDown: Redis answers from 11m, RedisDown still firing at 17m, quiet from 18m.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { METRICS } from '../domain/metrics';
import { RULE_GROUPS, isAlert, renderRuleFiles } from '../domain/rules';
import { BACKEND_RECOVERY, CAUSE_RECOVERY, EFFECTS_CLEAR } from '../domain/rules/conditions';
import { series } from '../domain/rules/unit-tests';
import { describeWithBinaries } from '../testing/processes';

const run = promisify(execFile);
const EXPORTER = { job: 'redis-exporter', instance: 'redis-exporter:9121' } as const;

test('the causes that hold back other alerts keep firing after they clear, and the SLO tickets a day; the others do not', () => {
  const keeping = RULE_GROUPS.flatMap((group) => group.rules.filter(isAlert))
    .filter((rule) => rule.keepFiringFor !== undefined)
    .map((rule) => [rule.name, rule.keepFiringFor?.toString()])
    .sort();
  expect(keeping).toEqual([
    ['APIAvailabilitySteadyBurn', '1d'],
    ['APIDown', '2m'],
    ['APILatencySteadyBurn', '1d'],
    ['CeleryWorkerDown', '2m'],
    ['HighErrorRate', '3m30s'],
    ['PostgreSQLDown', '7m'],
    ['RedisDown', '7m'],
    ['SyncSuccessSteadyBurn', '1d'],
  ]);
  expect(CAUSE_RECOVERY.toString()).toBe('2m');
  expect(BACKEND_RECOVERY.toString()).toBe('7m');
  expect(EFFECTS_CLEAR.toString()).toBe('3m30s');
});

describeWithBinaries('keep_firing_for with the real promtool', ['promtool'], () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stm-keep-firing-'));
    const [redis] = renderRuleFiles(RULE_GROUPS.filter((group) => group.name === 'redis'));
    writeFileSync(join(dir, 'redis.yml'), redis.content);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('RedisDown: firing at 9m, still at 17m (Redis answers from 11m), gone at 18m', async () => {
    const firing = (at: string) => ({
      expr: 'ALERTS{alertname="RedisDown", alertstate="firing"}',
      eval_time: at,
      exp_samples: [
        {
          labels: `ALERTS{alertname="RedisDown", alertstate="firing", instance="redis-exporter:9121", job="redis-exporter", severity="critical"}`,
          value: 1,
        },
      ],
    });
    const file = join(dir, 'keep.test.yml');
    writeFileSync(
      file,
      stringify({
        rule_files: ['redis.yml'],
        evaluation_interval: '15s',
        tests: [
          {
            interval: '1m',
            input_series: [
              series(METRICS.redis.up, EXPORTER, '1 0x9 1x15'),
              series(METRICS.scrape.up, EXPORTER, '1x25'),
            ],
            promql_expr_test: [
              firing('9m'),
              firing('17m'),
              { expr: 'ALERTS{alertname="RedisDown", alertstate="firing"}', eval_time: '18m', exp_samples: [] },
            ],
          },
        ],
      }),
    );
    const { stdout, stderr } = await run('promtool', ['test', 'rules', file], { cwd: dir, timeout: 30_000 }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(`${stdout}${stderr}`).toContain('SUCCESS');
  });
});
