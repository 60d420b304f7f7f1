/**
 * prometheus.yml rendered from typed inputs: the nine jobs, targets taken from config (or from a
 * caller's own target map), Docker discovery for labelled app containers, rules and Alertmanager
 * wired in; and the real promtool accepts it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { Duration } from '../core/duration';
import { DEFAULT_CONFIG, MonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { RenderedFile } from '../core/rendered-file';
import { MetricSource } from '../core/components';
import { allMetrics, seriesNames } from '../domain/metrics';
import { RULE_GROUPS, renderRuleFiles } from '../domain/rules';
import {
  EXPORTER_JOBS,
  PrometheusConfigFile,
  PrometheusConfigInput,
  prometheusConfig,
  renderPrometheusConfig,
  stackPrometheusInput,
} from '../domain/prometheus';
import { JOB, SCRAPE_JOBS, ScrapeJobKey, ScrapeTargets } from '../core/components';
import { ProcessGroup } from '../testing/processes';
import { describeOnProgramSets } from '../testing/program-sets';
import { onAppNetwork } from '../testing/synth';

const SAMPLE_RULES: RenderedFile[] = [{ path: 'rules/api.yml', content: 'groups:\n  - name: api\n    rules: []\n' }];

function jobsByName(config: PrometheusConfigFile) {
  return Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job]));
}

/** What the e2e harness does: same config, its own loopback ports, no Docker. */
function loopbackInput(config: MonitoringConfig, ruleFiles: string[]): PrometheusConfigInput {
  const targets = Object.fromEntries(
    (Object.keys(JOB) as (keyof ScrapeTargets)[]).map((key, i) => [key, [`127.0.0.1:${19_100 + i}`]]),
  ) as ScrapeTargets;
  return {
    ...stackPrometheusInput(onAppNetwork(config), ruleFiles),
    targets,
    alertmanagers: ['127.0.0.1:19093'],
    dockerDiscovery: undefined,
  };
}

describe('renderPrometheusConfig for the stack', () => {
  const rendered = renderPrometheusConfig(
    stackPrometheusInput(
      onAppNetwork(DEFAULT_CONFIG),
      SAMPLE_RULES.map((f) => f.path),
    ),
  );
  const config = parse(rendered.content) as Record<string, any>;
  const jobs = Object.fromEntries((config.scrape_configs as any[]).map((job) => [job.job_name, job]));

  test('matches the snapshot', () => {
    expect(rendered.path).toBe('prometheus.yml');
    expect(rendered.content).toMatchSnapshot();
  });

  test("scrapes and evaluates every 15 s with a 10 s timeout (above the postgres exporter's ~1 s answer while the database is down)", () => {
    expect(config.global).toEqual({ scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '15s' });
  });

  test('has the nine jobs of the spec, each with its targets', () => {
    expect(Object.keys(jobs)).toEqual([...SCRAPE_JOBS]);
    expect(SCRAPE_JOBS).toHaveLength(9);
    const targets = (name: string) => jobs[name].static_configs?.[0].targets;
    expect(targets('prometheus')).toEqual(['localhost:9090']);
    expect(targets('alertmanager')).toEqual(['stock-tracker-alertmanager:9093']);
    expect(targets('grafana')).toEqual(['stock-tracker-grafana:3000']);
    expect(targets('api')).toEqual(['api:8000']);
    expect(targets('postgres-exporter')).toEqual(['stock-tracker-postgres-exporter:9187']);
    expect(targets('redis-exporter')).toEqual(['stock-tracker-redis-exporter:9121']);
    // node-exporter runs in the host's network namespace: Prometheus reaches it on the Docker host.
    expect(targets('node-exporter')).toEqual(['host.docker.internal:9100']);
    expect(targets('cadvisor')).toEqual(['stock-tracker-cadvisor:8080']);
    // Celery's workers serve no metrics: the job is the stack's own celery-exporter.
    expect(targets('celery')).toEqual(['stock-tracker-celery-exporter:9808']);
  });

  test('node-exporter keeps the instance it had on the app network (its container and port); no other job is relabelled', () => {
    expect(jobs['node-exporter'].static_configs).toEqual([
      { targets: ['host.docker.internal:9100'], labels: { instance: 'stock-tracker-node-exporter:9100' } },
    ]);
    for (const name of SCRAPE_JOBS.filter((n) => n !== JOB.nodeExporter))
      for (const staticConfig of jobs[name].static_configs ?? []) expect(staticConfig.labels).toBeUndefined();
  });

  test("the application's own celery-exporter replaces the stack's", () => {
    const own = jobsByName(
      prometheusConfig(
        stackPrometheusInput(
          onAppNetwork(parseMonitoringConfig({ targets: { celeryExporter: 'celery-exporter:9808' } })),
          [],
        ),
      ),
    );
    expect(own.celery.static_configs).toEqual([{ targets: ['celery-exporter:9808'] }]);
  });

  test('app containers labelled for scraping are discovered through the Docker socket, on the app network only', () => {
    expect(jobs[JOB.celery].docker_sd_configs).toBeUndefined();
    for (const name of [JOB.api]) {
      expect(jobs[name].docker_sd_configs).toEqual([
        {
          host: 'unix:///var/run/docker.sock',
          refresh_interval: '30s',
          filters: [{ name: 'label', values: [`stock-tracker.scrape.job=${name}`] }],
        },
      ]);
      const [keepNetwork, address, path, instance] = jobs[name].relabel_configs;
      // Static targets have no network label: the empty alternative keeps them.
      expect(keepNetwork).toEqual({
        source_labels: ['__meta_docker_network_name'],
        regex: '|stock-tracker_stock-tracker-network',
        action: 'keep',
      });
      expect(address.source_labels).toEqual([
        '__meta_docker_network_ip',
        '__meta_docker_container_label_stock_tracker_scrape_port',
      ]);
      expect(path.target_label).toBe('__metrics_path__');
      expect(instance).toEqual({
        source_labels: ['__meta_docker_container_name'],
        regex: '/(.+)',
        target_label: 'instance',
      });
    }
    for (const name of SCRAPE_JOBS.filter((n) => n !== JOB.api && n !== JOB.celery))
      expect(jobs[name].docker_sd_configs).toBeUndefined();
  });

  test('wires in the rule files and Alertmanager', () => {
    expect(config.rule_files).toEqual(['rules/api.yml']);
    expect(config.alerting).toEqual({
      alertmanagers: [{ static_configs: [{ targets: ['stock-tracker-alertmanager:9093'] }] }],
    });
  });

  test('stores from each exporter only the series the catalog names; the app and self-monitoring are kept whole', () => {
    const kept = (job: string) => new RegExp(`^(?:${jobs[job].metric_relabel_configs[0].regex})$`);
    for (const [key, source] of Object.entries(EXPORTER_JOBS) as [ScrapeJobKey, MetricSource][]) {
      const job = JOB[key];
      expect(jobs[job].metric_relabel_configs).toEqual([
        { source_labels: ['__name__'], regex: expect.any(String), action: 'keep' },
      ]);
      for (const metric of allMetrics().filter((m) => m.source === source))
        for (const name of seriesNames(metric)) expect(name).toMatch(kept(job));
    }
    expect('pg_stat_activity_count').toMatch(kept(JOB.postgresExporter));
    expect('node_cpu_seconds_total_x').not.toMatch(kept(JOB.nodeExporter));
    expect('node_scrape_collector_duration_seconds').not.toMatch(kept(JOB.nodeExporter));
    expect('container_cpu_usage_seconds_total').toMatch(kept(JOB.cadvisor));
    for (const job of [JOB.api, JOB.prometheus, JOB.alertmanager, JOB.grafana])
      expect(jobs[job].metric_relabel_configs).toBeUndefined();
    const whole = prometheusConfig({
      ...stackPrometheusInput(onAppNetwork(DEFAULT_CONFIG), []),
      keepOnlyCatalogSeries: false,
    });
    expect(whole.scrape_configs.some((job) => job.metric_relabel_configs)).toBe(false);
  });
});

describe('renderPrometheusConfig from other inputs', () => {
  test('targets, names, intervals and network come from config values', () => {
    const config = parseMonitoringConfig({
      namePrefix: 'mon',
      dockerNetwork: 'shop.net',
      components: { alertmanager: { port: 9193 } },
      prometheus: {
        scrapeInterval: '30s',
        scrapeTimeout: '20s',
        evaluationInterval: '1m',
        extraJobs: [{ name: 'nginx', targets: ['nginx-exporter:9113'] }],
      },
      targets: { api: ['api-1:8000', 'api-2:8000'] },
    });
    const file = prometheusConfig(stackPrometheusInput(onAppNetwork(config), []));
    const jobs = jobsByName(file);
    expect(file.global.scrape_interval.toString()).toBe('30s');
    expect(file.global.scrape_timeout.toString()).toBe('20s');
    expect(file.global.evaluation_interval.toString()).toBe('1m');
    expect(jobs.api.static_configs).toEqual([{ targets: ['api-1:8000', 'api-2:8000'] }]);
    expect(jobs.celery.static_configs).toEqual([{ targets: ['mon-celery-exporter:9808'] }]);
    expect(jobs.alertmanager.static_configs).toEqual([{ targets: ['mon-alertmanager:9193'] }]);
    expect(file.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['mon-alertmanager:9193']);
    expect(jobs.nginx.static_configs).toEqual([{ targets: ['nginx-exporter:9113'] }]);
    expect(jobs.api.relabel_configs?.[0].regex).toBe('|shop\\.net');
  });

  test('a caller can pass its own target map and drop Docker discovery (the e2e harness on loopback)', () => {
    const file = prometheusConfig(loopbackInput(DEFAULT_CONFIG, ['rules/api.yml']));
    const jobs = jobsByName(file);
    expect(Object.keys(jobs)).toEqual([...SCRAPE_JOBS]);
    for (const job of file.scrape_configs) {
      expect(job.static_configs?.[0].targets[0]).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(job.docker_sd_configs).toBeUndefined();
      expect(job.relabel_configs).toBeUndefined();
    }
    expect(file.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:19093']);
  });

  test('Docker discovery can be turned off in config', () => {
    const file = prometheusConfig(
      stackPrometheusInput(parseMonitoringConfig({ dockerDiscovery: { enabled: false } }), []),
    );
    expect(file.scrape_configs.some((job) => job.docker_sd_configs)).toBe(false);
  });

  test('two jobs with one name are refused', () => {
    const input = stackPrometheusInput(onAppNetwork(DEFAULT_CONFIG), []);
    expect(() =>
      prometheusConfig({ ...input, extraJobs: [{ name: 'api', targets: ['x:1'], metricsPath: '/metrics' }] }),
    ).toThrow('scrape job name "api" is used twice');
  });

  test('durations render in Prometheus notation', () => {
    const input = {
      ...stackPrometheusInput(onAppNetwork(DEFAULT_CONFIG), []),
      timing: {
        scrapeInterval: Duration.seconds(90),
        scrapeTimeout: Duration.millis(1500),
        evaluationInterval: Duration.minutes(1),
      },
    };
    expect(parse(renderPrometheusConfig(input).content).global).toEqual({
      scrape_interval: '1m30s',
      scrape_timeout: '1s500ms',
      evaluation_interval: '1m',
    });
  });
});

describeOnProgramSets('promtool check config (real binary)', ['promtool'], (programs) => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  /** Writes prometheus.yml and its rule files into a fresh directory, as the container has them. */
  function writeConfigDir(files: RenderedFile[]): string {
    const dir = processes.tempDir('stm-promtool-');
    for (const file of files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    return join(dir, 'prometheus.yml');
  }

  test('accepts the stack config and the loopback config, with their rule files', () => {
    const ruleFiles = [...SAMPLE_RULES, ...renderRuleFiles(RULE_GROUPS)];
    const paths = ruleFiles.map((f) => f.path);
    const stack = writeConfigDir([
      renderPrometheusConfig(stackPrometheusInput(onAppNetwork(DEFAULT_CONFIG), paths)),
      ...ruleFiles,
    ]);
    const loopback = writeConfigDir([renderPrometheusConfig(loopbackInput(DEFAULT_CONFIG, paths)), ...ruleFiles]);
    const result = spawnSync(programs.binary('promtool'), ['check', 'config', stack, loopback], { encoding: 'utf8' });
    const output = result.stdout + result.stderr;
    expect({ status: result.status, output }).toEqual({ status: 0, output: expect.any(String) });
    expect(output.match(/is valid prometheus config file syntax/g)).toHaveLength(2);
    expect(output).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
  });

  test('rejects a config whose rule file is missing (the check is real)', () => {
    const config = writeConfigDir([
      renderPrometheusConfig(stackPrometheusInput(onAppNetwork(DEFAULT_CONFIG), ['rules/missing.yml'])),
    ]);
    const result = spawnSync(programs.binary('promtool'), ['check', 'config', config], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
  });
});
