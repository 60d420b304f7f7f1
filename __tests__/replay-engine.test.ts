/**
 * The replay's models, each against the behaviour of the program it stands for: Prometheus'
 * alert state machine (rules/alerting.go, AlertingRule.Eval, 2.42), Alertmanager's grouping,
 * notification log and inhibitions (dispatch/dispatch.go, notify/notify.go DedupStage.needsUpdate,
 * inhibit/inhibit.go, 0.25), its time intervals (timeinterval/timeinterval.go), the PromQL text
 * rewriting that inlines recordings, and the CLI's input checks. The rule evaluation itself is
 * cross-checked against promtool in replay-promtool.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Message, simulateAlertmanager } from '../tools/replay/alertmanager';
import {
  AlertEpisode,
  alertEpisodes,
  coveredStretches,
  dataGaps,
  evaluationSteps,
  replayStep,
} from '../tools/replay/evaluate';
import { UsageError } from '../tools/cli';
import { parseCliArgs, parseTime } from '../tools/replay/main';
import { RecordedExpression, metricNamesRead, substituteRecordings, windowsRead } from '../tools/replay/promql-text';
import {
  ROOT,
  ReplayAlertmanager,
  ReplayRuleSet,
  RuleSetError,
  dependencyDifferences,
  loadFailure,
  loadRuleSet,
} from '../tools/replay/rule-set';
import { inTimeRange } from '../tools/replay/time-intervals';

const MINUTE = 60_000;
const STEP = 15_000;

describe('alert state machine', () => {
  const window = { first: 0, count: 100 };
  const rule = (forMs: number, keepFiringForMs = 0) => ({ forMs, keepFiringForMs, stepMs: STEP });
  const steps = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  test('fires at the first evaluation where it has been active for `for`, resolves when the series goes', () => {
    expect(alertEpisodes(steps(10, 20), rule(MINUTE), window, { alertname: 'A' })).toEqual({
      episodes: [{ labels: { alertname: 'A' }, activeAt: 10 * STEP, firedAt: 14 * STEP, resolvedAt: 21 * STEP }],
      pendingOnly: 0,
    });
  });

  test('a pending alert whose series goes before `for` is dropped, and starts over when it returns', () => {
    const { episodes, pendingOnly } = alertEpisodes([...steps(0, 2), ...steps(4, 9)], rule(MINUTE), window, {});
    expect(pendingOnly).toBe(1);
    expect(episodes.map((e) => [e.activeAt, e.firedAt])).toEqual([[4 * STEP, 8 * STEP]]);
  });

  test('keep_firing_for holds a firing alert over a gap shorter than it, and resolves when it runs out', () => {
    // Missing at steps 6 and 7; back at 8, exactly when a 30 s keep_firing_for would run out: still one alert.
    const held = alertEpisodes([...steps(0, 5), ...steps(8, 9)], rule(0, 2 * STEP), window, {});
    expect(held.episodes.map((e) => [e.firedAt, e.resolvedAt])).toEqual([[0, 12 * STEP]]);
    // Missing from step 6 to 8: resolved at 8, and the return at 9 is a new alert.
    const lapsed = alertEpisodes([...steps(0, 5), 9], rule(0, 2 * STEP), window, {});
    expect(lapsed.episodes.map((e) => [e.firedAt, e.resolvedAt])).toEqual([
      [0, 8 * STEP],
      [9 * STEP, 12 * STEP],
    ]);
  });

  test('an alert still firing at the end of the window has no resolution', () => {
    const { episodes } = alertEpisodes(steps(95, 99), rule(0, 10 * STEP), window, {});
    expect(episodes).toEqual([{ labels: {}, activeAt: 95 * STEP, firedAt: 95 * STEP }]);
  });

  test('a rule whose every window is 6h or more is replayed at a 24th of the shortest, others at their interval', () => {
    const recordings = new Map<string, RecordedExpression>([
      ['errors:rate5m', { expr: 'sum(rate(e_total[5m]))', interval: '15s', windowsMs: [5 * MINUTE] }],
      ['errors:ratio_rate6h', { expr: '…', interval: '15s', windowsMs: [6 * 60 * MINUTE] }],
    ]);
    const steps = (expr: string) => replayStep(windowsRead(expr, recordings), STEP);
    // A recording read with a range is read over that range, not over its own 5m.
    expect(steps('avg_over_time(errors:rate5m[3d]) > 1 and errors:ratio_rate6h > 1')).toBe(15 * MINUTE);
    expect(steps('max_over_time(y[12h:1m]) > 1')).toBe(30 * MINUTE);
    expect(steps('rate(x_total[3d]) > 1 and errors:rate5m > 0')).toBe(STEP);
    expect(steps('up == 0')).toBe(STEP);
    // The state machine counts `for` in those steps.
    const coarse = { forMs: 30 * MINUTE, keepFiringForMs: 0, stepMs: 15 * MINUTE };
    expect(alertEpisodes([0, 1, 2, 3], coarse, { first: 0, count: 10 }, {}).episodes).toEqual([
      { labels: {}, activeAt: 0, firedAt: 30 * MINUTE, resolvedAt: 60 * MINUTE },
    ]);
  });

  test('stretches with data: a step without data ends one, so does a probe step without data between coarse steps', () => {
    // Probe at 15 s from 0: no data at probe steps 4-5 and 13.
    const present = Uint8Array.from({ length: 20 }, (_, i) => (i === 4 || i === 5 || i === 13 ? 0 : 1));
    const coverage = { fromMs: 0, toMs: 19 * STEP, stepMs: STEP, present };
    expect(dataGaps(coverage)).toEqual([
      { fromMs: 4 * STEP, toMs: 6 * STEP },
      { fromMs: 13 * STEP, toMs: 14 * STEP },
    ]);
    expect(coveredStretches(coverage, { first: 0, count: 20 }, STEP)).toEqual([
      [0, 4],
      [6, 13],
      [14, 20],
    ]);
    // At 45 s the rule evaluates at probe steps 0, 3, 6, ...: 13 lies between 12 and 15, 4-5 between 3 and 6.
    expect(coveredStretches(coverage, { first: 0, count: 7 }, 3 * STEP)).toEqual([
      [0, 2],
      [2, 5],
      [5, 7],
    ]);
  });

  test('evaluation steps are the multiples of the interval inside the window', () => {
    expect(evaluationSteps(10_000, 100_000, STEP)).toEqual({ first: 15_000, count: 6 });
    expect(evaluationSteps(16_000, 29_000, STEP)).toEqual({ first: 30_000, count: 0 });
  });
});

describe('Alertmanager model', () => {
  const config: ReplayAlertmanager = {
    route: {
      receiver: 'null',
      group_by: ['alertname'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '1h',
      routes: [
        { matchers: ['severity="critical"'], receiver: 'pages', mute_time_intervals: ['maintenance'] },
        { matchers: ['severity="warning"'], receiver: 'warnings' },
      ],
    },
    inhibit_rules: [{ source_matchers: ['alertname="RedisDown"'], target_matchers: ['alertname="WorkerDown"'] }],
    receivers: [
      { name: 'null', integrations: [], sendResolved: false },
      { name: 'pages', integrations: ['telegram'], sendResolved: true },
      { name: 'warnings', integrations: ['telegram'], sendResolved: false },
    ],
    // Sundays 02:00-04:00 UTC.
    time_intervals: [
      {
        name: 'maintenance',
        time_intervals: [{ weekdays: ['sunday'], times: [{ start_time: '02:00', end_time: '04:00' }] }],
      },
    ],
  };
  /** 2026-03-02 (a Monday) 00:00 UTC. */
  const T0 = Date.UTC(2026, 2, 2);
  const episode = (alertname: string, severity: string, firedAt: number, resolvedAt?: number): AlertEpisode => ({
    labels: { alertname, severity },
    activeAt: firedAt,
    firedAt,
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
  });
  const brief = (messages: Message[]) =>
    messages.map((m) => [
      (m.at - T0) / 1000,
      m.receiver,
      m.kind,
      m.firing.map((a) => a.labels.alertname).join(),
      m.resolved.map((a) => a.labels.alertname).join(),
    ]);

  test('a page is sent after group_wait, and its resolution at the next group_interval', () => {
    const messages = simulateAlertmanager(
      config,
      [episode('RedisDown', 'critical', T0, T0 + 7 * MINUTE)],
      T0,
      T0 + 3_600_000,
    );
    expect(brief(messages)).toEqual([
      [30, 'pages', 'firing', 'RedisDown', ''],
      [630, 'pages', 'resolved', '', 'RedisDown'],
    ]);
  });

  test('a firing group repeats at the first group_interval after repeat_interval', () => {
    const messages = simulateAlertmanager(config, [episode('DiskFull', 'critical', T0)], T0, T0 + 2.5 * 3_600_000);
    // Flushes at 30 s + k * 5 min; the one exactly 1 h after the first does not repeat yet (the log is a little later).
    expect(brief(messages).map(([at, , kind]) => [at, kind])).toEqual([
      [30, 'firing'],
      [3930, 'repeat'],
      [7830, 'repeat'],
    ]);
  });

  test('an inhibited alert is not told while its cause fires; a receiver without integrations sends nothing', () => {
    const messages = simulateAlertmanager(
      config,
      [
        episode('RedisDown', 'critical', T0, T0 + 10 * MINUTE),
        episode('WorkerDown', 'critical', T0 + MINUTE, T0 + 9 * MINUTE),
        episode('Watchdog', 'none', T0),
      ],
      T0,
      T0 + 3_600_000,
    );
    expect(brief(messages).filter(([, , , firing]) => firing !== '')).toEqual([
      [30, 'pages', 'firing', 'RedisDown', ''],
    ]);
  });

  test('warnings without send_resolved are told once, and nothing when they resolve', () => {
    const messages = simulateAlertmanager(
      config,
      [episode('QueueBacklog', 'warning', T0, T0 + 20 * MINUTE)],
      T0,
      T0 + 3_600_000,
    );
    expect(brief(messages)).toEqual([[30, 'warnings', 'firing', 'QueueBacklog', '']]);
  });

  test("a route's mute time interval holds its messages back until it ends", () => {
    const sunday = T0 - 86_400_000 + 2 * 3_600_000;
    const messages = simulateAlertmanager(
      config,
      [episode('RedisDown', 'critical', sunday)],
      sunday,
      sunday + 3 * 3_600_000,
    );
    // Muted from 02:00 to 04:00: the first flush outside it (04:00:30) tells.
    expect(messages.map((m) => [(m.at - sunday) / 1000, m.kind])).toEqual([[2 * 3600 + 30, 'firing']]);
  });
});

describe('time intervals', () => {
  test('weekdays, times (end exclusive), negative days of the month and a location', () => {
    const range = { weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '18:00' }] };
    expect(inTimeRange(Date.UTC(2026, 2, 2, 9, 0), range)).toBe(true);
    expect(inTimeRange(Date.UTC(2026, 2, 2, 18, 0), range)).toBe(false);
    expect(inTimeRange(Date.UTC(2026, 2, 1, 12, 0), range)).toBe(false);
    expect(inTimeRange(Date.UTC(2026, 1, 28, 12), { days_of_month: ['-1'] })).toBe(true);
    expect(inTimeRange(Date.UTC(2026, 1, 27, 12), { days_of_month: ['-1'] })).toBe(false);
    // 07:00 UTC is 10:00 in Moscow.
    expect(inTimeRange(Date.UTC(2026, 2, 2, 7), { ...range, location: 'Europe/Moscow' })).toBe(true);
    expect(inTimeRange(Date.UTC(2026, 2, 2, 7), range)).toBe(false);
  });
});

describe('recordings inlined into expressions', () => {
  const recordings = new Map([
    ['job:errors:ratio5m', { expr: 'sum by (job) (rate(errors_total[5m]))', interval: '30s', windowsMs: [300_000] }],
  ]);

  test('a recorded series is replaced by its expression, its matchers kept as filters', () => {
    const text = substituteRecordings('job:errors:ratio5m{job="api"} > 0.05', recordings);
    expect(text).toContain('(sum by (job) (rate(errors_total[5m])))');
    expect(text).toContain('"job", "api"');
    expect(metricNamesRead(text)).toEqual(['errors_total']);
  });

  test("a range over a recorded series becomes a subquery at its group's evaluation interval", () => {
    expect(substituteRecordings('max_over_time(job:errors:ratio5m[1h])', recordings)).toBe(
      'max_over_time(((sum by (job) (rate(errors_total[5m]))))[1h:30s])',
    );
  });

  test('label names in by/on lists, strings and numbers are not read as metrics', () => {
    expect(metricNamesRead('sum by (job, le) (rate(x_bucket{le="1.0"}[5m])) / on (job) group_left y > 1e3')).toEqual([
      'x_bucket',
      'y',
    ]);
  });
});

describe('the rule set a replay reads', () => {
  test("the burn-rate rules follow the configured SLOs, as the stack's do", () => {
    const expr = (ruleSet: ReplayRuleSet) =>
      ruleSet.groups.flatMap((group) => group.rules).find((rule) => rule.alert === 'APIAvailabilityFastBurn')?.expr;
    expect(expr(loadRuleSet(ROOT, {}, 'default'))).toContain('/ 0.005 > 14.4');
    expect(expr(loadRuleSet(ROOT, { SLO_API_AVAILABILITY_OBJECTIVE: '99.9' }, '99.9'))).toContain('/ 0.001 > 14.4');
  });
});

describe('--base revisions that cannot be read', () => {
  const root = mkdtempSync(join(tmpdir(), 'stm-replay-load-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const thrown = (file: string, text: string): unknown => {
    writeFileSync(join(root, file), text);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(join(root, file));
    } catch (error) {
      return error;
    }
    throw new Error(`${file} loaded`);
  };

  test('a missing module is named with the file of the revision that requires it, in one line', () => {
    const error = thrown('rules.js', "require('no-such-package-of-this-checkout');\n");
    expect(loadFailure(error, root)).toBe(
      'it needs the module no-such-package-of-this-checkout, which cannot be found (required by rules.js)',
    );
  });

  test('any other error is named with the line of the revision that threw it, without a stack trace', () => {
    const error = thrown('dashboards.js', '\nconst sdk = {};\nsdk.GraphThresholdsStyleMode.Off;\n');
    expect(loadFailure(error, root)).toMatch(
      /^TypeError: Cannot read properties of undefined .* \(at dashboards\.js:3\)$/,
    );
    expect(loadFailure(new RuleSetError('x has no domain/rules'), root)).toBe('x has no domain/rules');
  });

  test('the packages a revision asks for differently from this checkout are listed', () => {
    expect(
      dependencyDifferences(
        { dependencies: { cdktf: '0.20.0', yaml: '2.4.0' }, devDependencies: { jest: '29.7.0' } },
        { dependencies: { cdktf: '0.21.0', yaml: '2.4.0' }, devDependencies: { eslint: '9.0.0' } },
      ),
    ).toEqual([
      'cdktf (0.20.0 there, 0.21.0 here)',
      'eslint (none there, 9.0.0 here)',
      'jest (29.7.0 there, none here)',
    ]);
  });
});

describe('alerts:replay arguments', () => {
  const now = Date.UTC(2026, 2, 31);

  test('times: RFC 3339, Unix seconds, now and relative', () => {
    expect(parseTime('--from', '2026-03-01T00:00:00Z', now)).toBe(Date.UTC(2026, 2, 1));
    expect(parseTime('--from', '1772323200', now)).toBe(1_772_323_200_000);
    expect(parseTime('--from', '-30d', now)).toBe(now - 30 * 86_400_000);
    expect(() => parseTime('--from', 'yesterday', now)).toThrow(/--from "yesterday" is not a time/);
  });

  test('bad input names the flag; credentials in the URL are refused without being shown', () => {
    expect(() => parseCliArgs(['--from', 'now-1d'], now)).toThrow(/--prometheus is required/);
    expect(() => parseCliArgs(['--prometheus', 'http://p:9090', '--from', 'now', '--to', 'now-1d'], now)).toThrow(
      /--from .* is not before --to/,
    );
    let refused: unknown;
    try {
      parseCliArgs(['--prometheus', 'http://admin:s3cret@p:9090', '--from', 'now-1d'], now);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toMatch(/credentials/);
    expect((refused as Error).message).not.toContain('s3cret');
    expect(parseCliArgs(['--prometheus', 'http://p:9090/', '--from', 'now-1d', '--night', '23-6'], now)).toMatchObject({
      prometheus: 'http://p:9090',
      fromMs: now - 86_400_000,
      toMs: now,
      night: { startHour: 23, endHour: 6, timeZone: 'UTC' },
    });
  });
});
