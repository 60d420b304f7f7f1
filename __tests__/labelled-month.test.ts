/**
 * The labelled month (testing/labelled-month/): its series speak the catalog's names and labels,
 * its faults show in the series as the ground truth says, and its scoring counts an announcement
 * as true only when it is about an event that deserves its tier.
 */
import { readdirSync } from 'node:fs';
import { allMetrics, seriesNames } from '../domain/metrics';
import { Message } from '../tools/replay/alertmanager';
import { ReplayAlertRule } from '../tools/replay/evaluate';
import { ReplayResult } from '../tools/replay/replay';
import { BLOCK_MS, backfillMonth, serveHistory } from '../testing/labelled-month/backfill';
import { LabelledEvent, MONTH_EVENTS } from '../testing/labelled-month/events';
import { announcements, keyedOn, scoreMonth } from '../testing/labelled-month/score';
import { DEFAULT_SERIES_OPTIONS, MonthSeries, SeriesBuffer } from '../testing/labelled-month/series';
import { ProcessGroup, describeWithBinaries } from '../testing/processes';

const event = (id: string): LabelledEvent => {
  const found = MONTH_EVENTS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no event ${id}`);
  return found;
};

/** The series of the month over `[from, to)`, its counters starting there. */
function seriesOver(from: number, to: number): SeriesBuffer[] {
  return [
    ...new MonthSeries({ ...DEFAULT_SERIES_OPTIONS, start: from, end: to }, MONTH_EVENTS)
      .chunk(from, to)
      .series.values(),
  ];
}

function labelsOf(prefix: string): Record<string, string> {
  return Object.fromEntries(
    [...prefix.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]),
  );
}

/** The growth of the counters matching `filter` between the first and last scrape of the chunk. */
function increase(series: readonly SeriesBuffer[], filter: (buffer: SeriesBuffer) => boolean): number {
  return series.filter(filter).reduce((total, buffer) => {
    const values = [...buffer.values].filter((value) => !Number.isNaN(value));
    return total + values[values.length - 1] - values[0];
  }, 0);
}

describe('labelled month series', () => {
  test('every series is a catalog series with only its labels', () => {
    const start = event('redis-outage-1').start - 3_600_000;
    const series = seriesOver(start, start + 2 * 3_600_000);
    const catalog = new Map(
      allMetrics().flatMap((metric) => seriesNames(metric).map((name) => [name, metric] as const)),
    );
    const problems = series.flatMap((buffer) => {
      const metric = catalog.get(buffer.name);
      if (!metric) return [`${buffer.name} is not in the catalog`];
      const allowed = new Set([...Object.keys(metric.labels), ...(buffer.name.endsWith('_bucket') ? ['le'] : [])]);
      return Object.keys(labelsOf(buffer.prefix))
        .filter((label) => !allowed.has(label))
        .map((label) => `${buffer.name} carries ${label}`);
    });
    expect(problems).toEqual([]);
    expect(series.length).toBeGreaterThan(100);
  });

  test('a 30 % error burst reads 30 % of 5xx answers over its window', () => {
    const burst = event('errors-60x-1');
    const series = seriesOver(burst.start, burst.end + DEFAULT_SERIES_OPTIONS.scrapeIntervalMs);
    const requests = (buffer: SeriesBuffer) => buffer.name === 'http_requests_total';
    const errors = increase(series, (buffer) => requests(buffer) && labelsOf(buffer.prefix).status.startsWith('5'));
    expect(errors / increase(series, requests)).toBeCloseTo(0.3, 2);
  });

  test('Redis down: redis_up is 0 and the celery-exporter is not scraped', () => {
    const outage = event('redis-outage-2');
    const series = seriesOver(outage.start + 60_000, outage.end - 60_000);
    const values = (filter: (buffer: SeriesBuffer) => boolean) =>
      series.filter(filter).flatMap((buffer) => [...buffer.values]);
    expect(new Set(values((buffer) => buffer.name === 'redis_up'))).toEqual(new Set([0]));
    expect(new Set(values((buffer) => buffer.name === 'up' && labelsOf(buffer.prefix).job === 'celery'))).toEqual(
      new Set([0]),
    );
    expect(series.filter((buffer) => buffer.name.startsWith('celery_'))).toEqual([]);
  });
});

describe('labelled month scoring', () => {
  const outage = event('redis-outage-1');
  const slowBurn = event('slow-burn-1');
  const lowVolume = MONTH_EVENTS.find((candidate) => candidate.class === 'low-volume task failures') as LabelledEvent;
  const rule = (name: string, metrics: string[]): ReplayAlertRule => ({
    group: 'g',
    name,
    expr: '',
    forMs: 0,
    keepFiringForMs: 0,
    labels: {},
    intervalMs: 15_000,
    stepMs: 15_000,
    metrics,
  });
  const result: ReplayResult = {
    source: 'test',
    requestedFromMs: 0,
    fromMs: 0,
    toMs: 0,
    outcomes: [
      { rule: rule('RedisDown', ['redis_up']), episodes: [], pendingOnly: 0, queryMs: 0 },
      { rule: rule('APIAvailabilitySteadyBurn', ['http_requests_total']), episodes: [], pendingOnly: 0, queryMs: 0 },
      {
        rule: rule('CeleryHighFailureRate', ['celery_task_failed_total', 'celery_task_succeeded_total']),
        episodes: [],
        pendingOnly: 0,
        queryMs: 0,
      },
    ],
    gaps: [],
    skipped: [],
    messages: [],
    seconds: 0,
  };
  const message = (alertname: string, severity: string, at: number, labels: Record<string, string> = {}): Message => ({
    at,
    receiver: `telegram-${severity}`,
    group: {},
    kind: 'firing',
    firing: [{ labels: { alertname, severity, ...labels }, firedAt: at }],
    resolved: [],
  });

  test('a slow burn told as a warning is true and detects it; paged, it is a false page', () => {
    const at = slowBurn.start + 12 * 3_600_000;
    const sent = announcements(
      result,
      [
        message('APIAvailabilitySteadyBurn', 'warning', at, slowBurn.labels),
        message('APIAvailabilitySteadyBurn', 'critical', at + 1, slowBurn.labels),
      ],
      MONTH_EVENTS,
    );
    const score = scoreMonth(sent, MONTH_EVENTS);
    expect(slowBurn.deserves).toBe('ticket');
    expect(score.tiers.warning).toMatchObject({ sent: 1, trueSent: 1 });
    expect(score.tiers.page).toMatchObject({ sent: 1, trueSent: 0 });
    expect(score.events.find((outcome) => outcome.event === slowBurn)?.detectedAfterMs).toBe(12 * 3_600_000);
  });

  test('pages about an outage are true, a page about nothing is not; a low-volume warning is noise', () => {
    const sent = announcements(
      result,
      [
        message('RedisDown', 'critical', outage.start + 120_000),
        message('RedisDown', 'critical', outage.start + 86_400_000),
        message('CeleryHighFailureRate', 'warning', lowVolume.start + 60_000, { name: lowVolume.labels.name }),
        message('CeleryHighFailureRate', 'warning', lowVolume.start + 60_000, { name: 'other.task' }),
      ],
      MONTH_EVENTS,
    );
    const score = scoreMonth(sent, MONTH_EVENTS);
    expect(score.tiers.page).toMatchObject({ sent: 2, trueSent: 1, precision: 0.5, detected: 1 });
    expect(score.tiers.warning).toMatchObject({ sent: 2, trueSent: 0, precision: 0 });
    const outcome = score.events.find((candidate) => candidate.event === outage);
    expect(outcome).toMatchObject({ detectedAfterMs: 120_000, perChat: { 'telegram-critical': 1 } });
    // Another task's failures at that time are about no labelled event.
    expect(
      score.unexplained.map((a) => a.message.firing[0].labels.name ?? a.message.firing[0].labels.alertname),
    ).toEqual(['RedisDown', 'other.task']);
  });
});

describe('which alerts an event is about', () => {
  const apiErrors = event('errors-16x-1');
  const syncFailures = event('sync-failures-25x-1');
  const redis = event('redis-outage-1');

  test('an alert lacking the label an incident is keyed on is about something else', () => {
    expect(keyedOn({ alertname: 'HighErrorRate', job: 'api' }, apiErrors)).toBe(true);
    expect(keyedOn({ alertname: 'HighErrorRate' }, apiErrors)).toBe(false);
    expect(keyedOn({ alertname: 'HighErrorRate', job: 'worker' }, apiErrors)).toBe(false);
  });

  test("the sync task's failures on one marketplace are told per marketplace or per task, never for another", () => {
    expect(syncFailures.labels).toEqual({ name: expect.any(String), platform: 'wildberries' });
    expect(keyedOn({ platform: 'wildberries' }, syncFailures)).toBe(true);
    expect(keyedOn({ name: syncFailures.labels.name }, syncFailures)).toBe(true);
    expect(keyedOn({}, syncFailures)).toBe(false);
    expect(keyedOn({ platform: 'ozon' }, syncFailures)).toBe(false);
    expect(keyedOn({ platform: 'wildberries', name: 'other.task' }, syncFailures)).toBe(false);
  });

  test('an incident that says its alerts are unlabelled is about an alert without its labels, not one with others', () => {
    const stopped = event('syncs-stopped-1');
    expect(stopped.keyedBy).toEqual([[]]);
    expect(keyedOn({ alertname: 'NoSyncActivity' }, stopped)).toBe(true);
    expect(keyedOn({ alertname: 'CeleryHighFailureRate', name: 'other.task' }, stopped)).toBe(false);
  });

  test('an event without labels is about any alert that reads its series', () => {
    expect(redis.labels).toEqual({});
    expect(keyedOn({ alertname: 'RedisDown', instance: 'redis:6379' }, redis)).toBe(true);
  });
});

describeWithBinaries('labelled month backfilled with promtool', ['promtool', 'prometheus'], () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  test('a block boundary inside the range: one block per side, every scrape queryable across it', async () => {
    // 2026-03-14T18:00Z, a multiple of the block span, with no labelled event within three hours.
    const boundary = Math.ceil((DEFAULT_SERIES_OPTIONS.start + 12 * 86_400_000) / BLOCK_MS) * BLOCK_MS;
    const options = { ...DEFAULT_SERIES_OPTIONS, start: boundary - 3 * 3_600_000, end: boundary + 3 * 3_600_000 };
    const month = await backfillMonth(processes.tempDir('stm-month-'), options, MONTH_EVENTS);
    expect(readdirSync(month.tsdb).filter((entry) => /^[0-9A-Z]{26}$/.test(entry))).toHaveLength(2);
    const server = await serveHistory(month.tsdb, processes);
    const scrapes = (6 * 3_600_000) / options.scrapeIntervalMs;
    const last = options.end - options.scrapeIntervalMs;
    const counted = await server.api.queryRange('count_over_time(up{job="api"}[6h])', last, last, 15_000);
    expect(counted.map((series) => series.values[0][1])).toEqual([String(scrapes)]);
  }, 120_000);
});
