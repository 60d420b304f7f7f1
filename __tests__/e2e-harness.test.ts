/**
 * The e2e harness' own pieces, without servers: the simulator speaks the catalog's metric contract
 * and refuses bad faults; the timing profile scales `for` and windows of the real rules and
 * computes each alert's floor and bound. (`npm run e2e` runs them against the real programs.)
 */
import { readFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { Duration } from '../core/duration';
import { ALERTS, RULE_GROUPS } from '../domain/rules';
import { METRICS, Metric, TARGET_LABELS, seriesNames } from '../domain/metrics';
import { HEALTHY, StockTrackerSimulator, parseFaults } from '../testing/simulator';
import { freePort, portAnswers } from '../testing/processes';
import { ProgramSet } from '../testing/program-sets';
import { drillPrograms, e2eProgramSet, timingTable } from '../e2e/run';
import {
  DRILL_PROFILE,
  notifyTiming,
  profiledRuleGroups,
  renderProfiledRuleFiles,
  scaleWindows,
} from '../testing/timing-profile';

/** Sample lines of a text exposition: series name, label names and value. */
function exposition(text: string): { name: string; labels: string[]; value: string }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line) ?? [];
      return { name, labels: [...labels.matchAll(/([a-zA-Z_]+)="/g)].map((match) => match[1]), value };
    });
}

/** Series names with their label names, as a set of `name{a,b}` shapes (the `_created` series prometheus_client adds aside). */
function shapes(samples: { name: string; labels: string[] }[]): string[] {
  const shape = ({ name, labels }: { name: string; labels: string[] }) =>
    `${name}{${labels
      .filter((label) => label !== 'le')
      .sort()
      .join(',')}}`;
  return [...new Set(samples.filter((sample) => !sample.name.endsWith('_created')).map(shape))].sort();
}

const FIXTURES = join(__dirname, 'fixtures');
const capturedApp = JSON.parse(readFileSync(join(FIXTURES, 'stock-tracker', 'app-metrics.json'), 'utf8')) as {
  defaultRegistry: { collectors: string[] };
};

describe('the Stock Tracker simulator', () => {
  let simulator: StockTrackerSimulator;
  const scrape = async (process: 'api' | 'celeryExporter') =>
    exposition(await (await fetch(`http://${simulator.address(process)}/metrics`)).text());
  let api: { name: string; labels: string[] }[];
  let exporter: { name: string; labels: string[] }[];

  beforeAll(async () => {
    simulator = await StockTrackerSimulator.start();
    [api, exporter] = await Promise.all([scrape('api'), scrape('celeryExporter')]);
  });
  afterAll(() => simulator.stop());

  /** Metrics of the service's class the API process exposes; its Celery ones would be set in the workers, never scraped. */
  const apiMetrics = (Object.values(METRICS.app) as Metric[]).filter((metric) => !metric.name.startsWith('celery_'));

  test.each(apiMetrics.map((metric) => [metric.name, metric]))(
    'the API exposes %s with the catalog labels',
    (_, metric) => {
      const own = Object.keys(metric.labels)
        .filter((label) => !(label in TARGET_LABELS))
        .sort();
      for (const name of seriesNames(metric)) {
        const series = api.filter((sample) => sample.name === name);
        expect([name, series.length > 0]).toEqual([name, true]);
        for (const sample of series) expect(sample.labels.filter((label) => label !== 'le').sort()).toEqual(own);
      }
    },
  );

  test("the API exposes nothing outside the catalog, and none of the class's Celery metrics (nothing scrapes the workers)", () => {
    const catalog = new Set(apiMetrics.flatMap((metric) => seriesNames(metric)));
    expect(api.filter((sample) => !catalog.has(sample.name))).toEqual([]);
  });

  test("the celery-exporter stand-in has the real exporter's series shapes (fixture captured from it, task events on)", () => {
    const captured = readFileSync(join(FIXTURES, 'celery-exporter', 'events-on.prom'), 'utf8');
    expect(shapes(exporter)).toEqual(shapes(exposition(captured)));
  });

  test('uninstrumented, the API serves only Python process collectors, as Stock Tracker does today', async () => {
    await simulator.inject({ apiUninstrumented: true });
    try {
      const names = (await scrape('api')).map((sample) => sample.name.replace(/_total$/, ''));
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !capturedApp.defaultRegistry.collectors.includes(name))).toEqual([]);
    } finally {
      await simulator.inject({ apiUninstrumented: false });
    }
  });

  test('without task events the exporter keeps its queue and worker series, as captured with events off', async () => {
    const fresh = await StockTrackerSimulator.start();
    try {
      await fresh.inject({ taskEventsOff: true });
      const received = async () =>
        exposition(await (await fetch(`http://${fresh.address('celeryExporter')}/metrics`)).text())
          .filter((sample) => sample.name === 'celery_task_received_total')
          .map((sample) => sample.value);
      const captured = shapes(exposition(readFileSync(join(FIXTURES, 'celery-exporter', 'events-off.prom'), 'utf8')));
      const served = shapes(
        exposition(await (await fetch(`http://${fresh.address('celeryExporter')}/metrics`)).text()),
      );
      expect(captured.filter((shape) => !served.includes(shape))).toEqual([]);
      // The counters it had stay, and stay flat: the exporter keeps what it counted.
      const before = await received();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await received()).toEqual(before);
    } finally {
      await fresh.stop();
    }
  });

  test('faults are checked by name and type, and the API port closes and reopens', async () => {
    expect(() => parseFaults({ errorRatio: 1.5 })).toThrow('fault errorRatio: 1.5 is not a ratio in [0, 1]');
    expect(() => parseFaults({ apiDown: 'yes' })).toThrow('fault apiDown: "yes" is not a boolean');
    expect(() => parseFaults({ slowness: 1 })).toThrow('unknown fault "slowness"');
    const control = `http://${simulator.address('control')}/faults`;
    const refused = await fetch(control, { method: 'POST', body: JSON.stringify({ queueBacklog: -1 }) });
    expect([refused.status, await refused.json()]).toEqual([
      400,
      { error: 'fault queueBacklog: -1 is not a number >= 0' },
    ]);
    const accepted = await fetch(control, { method: 'POST', body: JSON.stringify({ apiDown: true, errorRatio: 0.1 }) });
    expect(await accepted.json()).toEqual({ ...HEALTHY, apiDown: true, errorRatio: 0.1 });
    await expect(fetch(`http://${simulator.address('api')}/metrics`)).rejects.toThrow();
    await fetch(`${control}/reset`, { method: 'POST' });
    expect((await fetch(`http://${simulator.address('api')}/metrics`)).status).toBe(200);
    expect(simulator.currentFaults).toEqual(HEALTHY);
  });
});

describe('the drill timing profile', () => {
  test('scales range windows, never below a few scrape intervals, and leaves quoted text alone', () => {
    expect(scaleWindows('rate(x{le=~"[5m]"}[30m]) + increase(y[5m]) + z[3h]', DRILL_PROFILE)).toBe(
      'rate(x{le=~"[5m]"}[15s]) + increase(y[6s]) + z[1m30s]',
    );
    expect(scaleWindows('x and on () up{job="offset 30m"} offset 30m', DRILL_PROFILE)).toBe(
      'x and on () up{job="offset 30m"} offset 15s',
    );
  });

  test('every alert runs its `for` and windows scaled, from the same typed rules', () => {
    const rendered = renderProfiledRuleFiles(DRILL_PROFILE).flatMap(
      (file) => (parse(file.content) as { groups: { rules: Record<string, string>[] }[] }).groups[0].rules,
    );
    const profiled = new Map(
      profiledRuleGroups(DRILL_PROFILE).flatMap((group) => group.rules.map((rule) => [rule.name, rule.expr.text])),
    );
    for (const group of RULE_GROUPS)
      for (const rule of group.rules) expect(profiled.get(rule.name)).toBe(scaleWindows(rule.expr.text, DRILL_PROFILE));
    expect(rendered.find((rule) => rule.alert === 'HighErrorRate')).toMatchObject({ for: '50s' });
    expect(rendered.find((rule) => rule.alert === 'NoSyncActivity')?.expr).toMatch(/\[15s\].* offset 15s$/);
    expect(rendered.filter((rule) => rule.alert || rule.record)).toHaveLength(
      RULE_GROUPS.flatMap((group) => group.rules).length,
    );
  });

  test("an alert's floor is for + group_wait + the window it needs, its bound adds one scrape, evaluation and timeout", () => {
    const timing = notifyTiming(ALERTS.RedisDown.name, parseMonitoringConfig({}), DRILL_PROFILE, Duration.seconds(3));
    expect([timing.for, timing.groupWait, timing.floor, timing.bound].map(String)).toEqual([
      '10s',
      '1s667ms',
      '14s667ms',
      '18s167ms',
    ]);
  });
});

describe('loopback ports', () => {
  test('freePort never hands out the same port twice in one process', async () => {
    // The kernel reuses a closed ephemeral port often enough that 500 plain listen(0) calls repeat some.
    const ports: number[] = [];
    for (let i = 0; i < 500; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });

  test('portAnswers tells a listening port from a closed one', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    expect(await portAnswers(port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await portAnswers(port)).toBe(false);
  });
});

describe('the time-to-notify table names the program versions each drill ran', () => {
  /** A program set as sid has it, without fetching anything. */
  const SID: ProgramSet = {
    name: 'current',
    suite: 'sid',
    packages: {},
    binary: (program) => program,
    missing: () => [],
    version: (program) =>
      ({
        prometheus: '3.5.3',
        'prometheus-alertmanager': '0.33.1',
        'prometheus-postgres-exporter': '0.19.1',
        'prometheus-redis-exporter': '1.86.0',
      })[program],
    title: 'current (sid)',
  };

  test('Prometheus and Alertmanager always; the exporter whose metrics the alert reads; never the simulated API', () => {
    expect(drillPrograms('PostgreSQLDown', SID)).toBe(
      'Prometheus 3.5.3, Alertmanager 0.33.1, postgres-exporter 0.19.1',
    );
    expect(drillPrograms('RedisDown', SID)).toBe('Prometheus 3.5.3, Alertmanager 0.33.1, redis-exporter 1.86.0');
    expect(drillPrograms('HighErrorRate', SID)).toBe('Prometheus 3.5.3, Alertmanager 0.33.1');
  });

  test('the table says which set it ran and has a versions column', () => {
    const timing = notifyTiming('RedisDown', parseMonitoringConfig({}), DRILL_PROFILE, Duration.seconds(3));
    const table = timingTable([{ drill: 'RedisDown', alert: 'RedisDown', timing, notifiedMs: 15_000 }], SID);
    expect(table).toMatch(/^Time-to-notify on the current program set \(sid\)/);
    const [header, , row] = table.split('\n').slice(2);
    expect(header).toMatch(/ versions$/);
    expect(row).toMatch(/ Prometheus 3\.5\.3, Alertmanager 0\.33\.1, redis-exporter 1\.86\.0$/);
  });

  test('PROGRAM_SET picks the set, current by default', () => {
    expect(e2eProgramSet({})).toBe('current');
    expect(e2eProgramSet({ PROGRAM_SET: 'floor' })).toBe('floor');
    expect(() => e2eProgramSet({ PROGRAM_SET: 'sid' })).toThrow(
      'PROGRAM_SET: sid is not a program set (expected floor, trixie, current)',
    );
  });
});
