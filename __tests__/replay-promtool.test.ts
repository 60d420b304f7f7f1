/**
 * The replay cross-checked against Prometheus' own rule evaluation: three and a half hours of the
 * labelled month (day 2, 13:00 to 16:30: 25 minutes of 30 % 5xx from 15:00, so `for`,
 * `keep_firing_for`, two windows and alerts on recording rules are all at work; absent series are
 * cross-checked in replay-gaps.test.ts) are backfilled with promtool into a real Prometheus and replayed; the same
 * series go to `promtool test rules` as input series, with the replay's verdict for every alerting
 * rule at every evaluation step as the expected alerts. promtool evaluates the rendered rule files
 * with Prometheus' rule manager (rules/manager.go), so a step where the replay says otherwise fails
 * the test, naming the alert and the time.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Document } from 'yaml';
import { Duration } from '../core/duration';
import { main } from '../tools/replay/main';
import { dataGaps, evaluateRules, evaluationSteps, historyCoverage, replayableRules } from '../tools/replay/evaluate';
import { ReplaySummary } from '../tools/replay/report';
import { ROOT, loadRuleSet } from '../tools/replay/rule-set';
import { HistoryServer, serveHistory } from '../testing/labelled-month/backfill';
import { MONTH_EVENTS, monthTime } from '../testing/labelled-month/events';
import { DEFAULT_SERIES_OPTIONS, MonthSeries, SeriesBuffer } from '../testing/labelled-month/series';
import { ProcessGroup, describeWithBinaries } from '../testing/processes';
import { capturedIo } from '../testing/captured-io';

const run = promisify(execFile);

/** A commit of main's history that asks for the foundation SDK's Grafana 10.2 build (this checkout has 11.6's). */
const SDK_10_2_REVISION = '42580934f69064dd0637726fe10c5efccbd27177';

/** Day 2, 13:00 to 16:30 Moscow time. */
const WINDOW_START = monthTime(2, '13:00');
const WINDOW_MS = 3.5 * 3_600_000;

describeWithBinaries('replay cross-checked with promtool test rules', ['promtool', 'prometheus'], () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  const scrapeMs = DEFAULT_SERIES_OPTIONS.scrapeIntervalMs;
  let dir: string;
  let server: HistoryServer;
  let series: SeriesBuffer[];

  beforeAll(async () => {
    dir = processes.tempDir('stm-replay-check-');
    const month = new MonthSeries(
      { ...DEFAULT_SERIES_OPTIONS, start: WINDOW_START, end: WINDOW_START + WINDOW_MS },
      MONTH_EVENTS,
    );
    // promtool's input series start at time 0: the backfill is shifted there too, so both read one timeline.
    series = [...month.chunk(WINDOW_START, WINDOW_START + WINDOW_MS).series.values()].sort((a, b) =>
      a.prefix < b.prefix ? -1 : 1,
    );
    const openMetrics = series.flatMap((buffer) =>
      [...buffer.values].flatMap((value, step) =>
        Number.isNaN(value) ? [] : [`${buffer.prefix} ${value} ${(step * scrapeMs) / 1000}`],
      ),
    );
    writeFileSync(join(dir, 'window.om'), `${openMetrics.join('\n')}\n# EOF\n`);
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'window.om'), join(dir, 'tsdb')], {
      timeout: 60_000,
    });
    server = await serveHistory(join(dir, 'tsdb'), processes);
  }, 120_000);

  test('the replay fires the same alerts at the same evaluation steps as Prometheus evaluating the rules', async () => {
    const ruleSet = loadRuleSet(ROOT, {}, 'this checkout');
    const { rules, skipped } = replayableRules(ruleSet);
    expect(skipped).toEqual([]);
    const lastStep = WINDOW_MS - scrapeMs;
    const coverage = await historyCoverage(server.api, 0, lastStep, Duration.parse(ruleSet.evaluationInterval).millis);
    expect({ fromMs: coverage.fromMs, gaps: dataGaps(coverage) }).toEqual({ fromMs: 0, gaps: [] });
    const outcomes = await evaluateRules(server.api, rules, coverage);
    // The window must exercise the replay: the errors fire alerts after their `for` (both read
    // recording rules; HighErrorRate keeps firing after the errors stop), which then resolve.
    const resolved = outcomes.flatMap((outcome) =>
      outcome.episodes.flatMap((episode) =>
        episode.resolvedAt !== undefined && episode.firedAt > episode.activeAt ? [outcome.rule.name] : [],
      ),
    );
    expect(resolved).toEqual(expect.arrayContaining(['HighErrorRate', 'APIAvailabilityFastBurn']));

    // The rule files as deployed, without annotations (their text is not what is compared).
    const ruleFile = {
      groups: ruleSet.groups.map((group) => ({
        ...group,
        rules: group.rules.map((rule) => ({ ...rule, annotations: undefined })),
      })),
    };
    writeFileSync(join(dir, 'rules.yml'), new Document(ruleFile).toString({ lineWidth: 0 }));
    const interval = Duration.parse(ruleSet.evaluationInterval).millis;
    const steps = evaluationSteps(0, lastStep, interval);
    const alertTests = Array.from({ length: steps.count }, (_, index) => steps.first + index * interval).flatMap((at) =>
      // A rule replayed at a coarser step (every window it reads is 6h or more) is exact only to that step.
      outcomes
        .filter(({ rule }) => rule.stepMs === rule.intervalMs)
        .map((outcome) => ({
          eval_time: `${at / 1000}s`,
          alertname: outcome.rule.name,
          exp_alerts: outcome.episodes
            .filter((episode) => episode.firedAt <= at && (episode.resolvedAt === undefined || at < episode.resolvedAt))
            .map((episode) => ({ exp_labels: episode.labels })),
        })),
    );
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: ruleSet.evaluationInterval,
      tests: [
        {
          interval: `${scrapeMs / 1000}s`,
          input_series: series.map((buffer) => ({
            series: buffer.prefix,
            values: [...buffer.values].map((value) => (Number.isNaN(value) ? '_' : String(value))).join(' '),
          })),
          alert_rule_test: alertTests,
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yml'), new Document(tests).toString({ lineWidth: 0 }));
    const verdict = await run('promtool', ['test', 'rules', join(dir, 'tests.yml')], {
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? -1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`.slice(0, 4000),
      }),
    );
    expect(verdict).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  }, 240_000);

  test('npm run alerts:replay --base HEAD replays both revisions against the same Prometheus, side by side', async () => {
    const output = capturedIo();
    const args = ['--prometheus', server.url, '--from', '0', '--to', String((WINDOW_MS - scrapeMs) / 1000)];
    const code = await main([...args, '--base', 'HEAD', '--json'], {}, output.io);
    expect({ code, stderr: output.stderr() }).toEqual({ code: 0, stderr: expect.stringContaining('replaying HEAD') });
    const { replays } = JSON.parse(output.stdout()) as { replays: ReplaySummary[] };
    expect(replays.map((replay) => replay.source)).toEqual(['HEAD', 'this checkout']);
    // The errors page in both revisions.
    for (const replay of replays) {
      expect(replay.pages).toBeGreaterThanOrEqual(1);
      expect(replay.alerts.map((alert) => alert.name)).toContain('HighErrorRate');
    }
    expect(replays[0].pages).toBe(replays[1].pages);

    const table = capturedIo();
    expect(await main(args, {}, table.io)).toBe(0);
    expect(table.stdout()).toContain('HighErrorRate');
    const refused = capturedIo();
    expect(await main([...args, '--base', 'no-such-revision'], {}, refused.io)).toBe(2);
    expect(refused.stderr()).toContain('--base "no-such-revision" names no commit');
  }, 240_000);

  test("--base HEAD~3, a revision on main's history, is read and replayed", async () => {
    const output = capturedIo();
    const args = ['--prometheus', server.url, '--from', '0', '--to', String((WINDOW_MS - scrapeMs) / 1000)];
    const code = await main([...args, '--base', 'HEAD~3', '--json'], {}, output.io);
    expect({ code, stderr: output.stderr() }).toEqual({ code: 0, stderr: expect.stringContaining('replaying HEAD~3') });
    const { replays } = JSON.parse(output.stdout()) as { replays: ReplaySummary[] };
    expect(
      replays.map((replay) => [replay.source, replay.alerts.some((alert) => alert.name === 'HighErrorRate')]),
    ).toEqual([
      ['HEAD~3', true],
      ['this checkout', true],
    ]);

    // The parent of 5b48c5e, whose dashboards were built with the foundation SDK's Grafana 10.2 build:
    // with this checkout's 11.6 build its modules throw while loading, which is told in a few lines.
    const old = capturedIo();
    expect(await main([...args, '--base', SDK_10_2_REVISION], {}, old.io)).toBe(2);
    const stderr = old.stderr();
    expect(stderr).toContain(
      `--base ${SDK_10_2_REVISION} (${SDK_10_2_REVISION.slice(0, 12)}): its rules could not be read: TypeError`,
    );
    expect(stderr).toContain('(at domain/dashboards/panels.ts:');
    expect(stderr).toContain('@grafana/grafana-foundation-sdk (10.2.0-cogv0.0.x.1759918447 there,');
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 240_000);
});
