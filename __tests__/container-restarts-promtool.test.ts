/**
 * Why ContainerRestarting used to be blind, with the real promtool. cAdvisor 0.47 writes the
 * container's creation time into `container_start_time_seconds` (metrics/prometheus.go l. 1848-1849),
 * so over three restarts by Docker's restart policy no series of it changes value: the old
 * expression, `changes(container_start_time_seconds{name!=""}[15m])`, reads 0 for each. Its old test
 * fed one series whose value changed at each restart, a shape cAdvisor does not export. What does
 * change is the restart count, a label: the rule counts the restart-count series that began in the window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Duration } from '../core/duration';
import { METRICS, THRESHOLDS, containerRestarts, windowOf } from '../domain/metrics';
import { InputSeries, series } from '../domain/rules/unit-tests';
import { describeOnProgramSets } from '../testing/program-sets';
import { runPromtool } from '../testing/promtool';
import { API_CONTAINER, restartedContainer } from './rules-alert-cases';

/** The expression ContainerRestarting compared with its threshold before. */
const OLD_EXPR = 'changes(container_start_time_seconds{name!=""}[15m])';
const CONTAINER_LABELS = ['job', 'instance', 'id', 'name', 'image'] as const;
const RESTARTS = containerRestarts(windowOf(THRESHOLDS.containerRestarts), CONTAINER_LABELS).text;

/** `{a="b", ...}`, sorted by name, as promtool compares expected labels. */
function labels(set: Readonly<Record<string, string>>): string {
  return `{${Object.entries(set)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(', ')}}`;
}
const CONTAINER = Object.fromEntries(CONTAINER_LABELS.map((label) => [label, API_CONTAINER[label]]));

describeOnProgramSets('ContainerRestarting on cAdvisor series, real promtool', ['promtool'], (programs) => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stm-restarts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** promtool's verdict on `expr` at 11 minutes, the third of restarts at minutes 5, 8 and 11. */
  async function at11(input: InputSeries[], expr: string, samples: { labels: string; value: number }[]) {
    const file = join(dir, `check-${++files}.test.yml`);
    writeFileSync(
      file,
      stringify({
        rule_files: [],
        evaluation_interval: '1m',
        tests: [
          { interval: '1m', input_series: input, promql_expr_test: [{ expr, eval_time: '11m', exp_samples: samples }] },
        ],
      }),
    );
    return (await runPromtool(programs.binary('promtool'), ['test', 'rules', file], { cwd: dir })).output;
  }

  test('three restarts as cAdvisor 0.47 exports them: the old expression reads 0 for every series, the rule 3', async () => {
    const input = restartedContainer([5, 8, 11]);
    const everySeries = [undefined, '1', '2', '3'].map((count) => ({
      labels: labels(count === undefined ? CONTAINER : { ...CONTAINER, container_label_restartcount: count }),
      value: 0,
    }));
    expect(await at11(input, OLD_EXPR, everySeries)).toContain('SUCCESS');
    expect(await at11(input, RESTARTS, [{ labels: labels(CONTAINER), value: 3 }])).toContain('SUCCESS');
  });

  test('the old expression counted only what its old test fed: one series whose value changes at each restart', async () => {
    const minute = Duration.minutes(1).seconds;
    const oneSeries = series(
      METRICS.cadvisor.startTime,
      API_CONTAINER,
      [0, 5, 8, 11].map((start, i, starts) => `${start * minute}x${(starts[i + 1] ?? 40) - start - 1}`).join(' '),
    );
    expect(await at11([oneSeries], OLD_EXPR, [{ labels: labels(CONTAINER), value: 3 }])).toContain('SUCCESS');
  });
});
