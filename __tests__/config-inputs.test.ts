/**
 * The configuration's inputs as users give them: values the real programs refuse are refused here
 * first, valid ones they accept are accepted, an empty variable is unset, a typo is warned about
 * with the name meant, every problem names the variable or key the user set, and nothing that may
 * be a secret is ever printed. The same examples run through the real cdktf CLI in config-cli.test.ts.
 */
import { ConfigError, ConfigProblem } from '../config/errors';
import { loadMonitoringConfig, unknownVariables } from '../config/load';
import { DEFAULT_CONFIG, MonitoringConfig, parseMonitoringConfig, publishedUrl } from '../config/monitoring-config';
import { Duration } from '../core/duration';
import { RULE_GROUPS, rangesRead, scrapeIntervalProblems, shortestRange } from '../domain/rules';
import { configWarnings } from '../main';

function problemsOf(run: () => unknown): ConfigProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const load = (env: NodeJS.ProcessEnv, context?: unknown): MonitoringConfig => loadMonitoringConfig(env, context);

describe('accepted by the configuration, then refused by the program: refused here', () => {
  test.each([
    ['a retention beyond what Prometheus can hold', { PROMETHEUS_RETENTION: '99999999999d' }, /out of range/],
    ['a port above 65535', { API_TARGETS: 'api:99999' }, /port from 1 to 65535/],
    ['port 0', { REDIS_TARGET: 'redis:0' }, /port from 1 to 65535/],
    ['a 1 ms scrape interval', { PROMETHEUS_SCRAPE_INTERVAL: '1ms' }, /too short: must be at least 1s/],
    ['a 300-character name prefix', { MONITORING_NAME_PREFIX: 'p'.repeat(300) }, /at most 45/],
    ['a 300-character stack name', { MONITORING_STACK_NAME: 's'.repeat(300) }, /at most 64/],
  ])('%s', (_title, env, reason) => {
    const problems = problemsOf(() => load(env));
    expect(problems).toHaveLength(1);
    expect(problems[0].reason).toMatch(reason);
    expect(problems[0].source).toEqual({ variable: Object.keys(env)[0] });
  });

  test('an extra scrape job without targets', () => {
    const problems = problemsOf(() => load({ MONITORING_CONFIG: '{"prometheus":{"extraJobs":[{"name":"nginx"}]}}' }));
    expect(problems).toEqual([
      expect.objectContaining({ field: 'prometheus.extraJobs[0].targets', reason: expect.stringMatching(/is empty/) }),
    ]);
  });

  test('an image repository in upper case, without a tag, or on latest', () => {
    for (const image of ['Prom/Prometheus:v2.48.0', 'prom/prometheus', 'prom/prometheus:latest']) {
      const problems = problemsOf(() => parseMonitoringConfig({ components: { prometheus: { image } } }));
      expect(problems).toEqual([expect.objectContaining({ field: 'components.prometheus.image', value: image })]);
    }
  });

  test('the name prefix bound keeps the longest container name a DNS label', () => {
    const longest = parseMonitoringConfig({ namePrefix: 'p'.repeat(45) });
    expect(`${longest.namePrefix}-postgres-exporter`.length).toBe(63);
    expect(problemsOf(() => parseMonitoringConfig({ namePrefix: 'p'.repeat(46) }))).toHaveLength(1);
  });
});

describe('valid, and accepted', () => {
  test('retentions of 1y and 2w, as Prometheus reads them (2w with SLO windows it keeps)', () => {
    expect(load({ PROMETHEUS_RETENTION: '1y' }).prometheus.retention).toEqual(Duration.days(365));
    const windows = { SLO_API_AVAILABILITY_WINDOW: '2w', SLO_API_LATENCY_WINDOW: '2w', SLO_SYNC_SUCCESS_WINDOW: '2w' };
    expect(load({ PROMETHEUS_RETENTION: '2w', ...windows }).prometheus.retention).toEqual(Duration.days(14));
  });

  test('an image from a registry with a port, and one pinned by digest', () => {
    const digest = `prom/prometheus@sha256:${'a'.repeat(64)}`;
    const config = parseMonitoringConfig({
      components: {
        prometheus: { image: 'registry.local:5000/prom/prometheus:v3.5.0' },
        alertmanager: { image: digest },
        grafana: { image: 'localhost:5000/grafana/grafana:11.6.14' },
      },
    });
    expect(config.components.prometheus.image).toBe('registry.local:5000/prom/prometheus:v3.5.0');
    expect(config.components.alertmanager.image).toBe(digest);
  });

  test('bind address localhost (read as 127.0.0.1) and ::1 (bracketed in URLs)', () => {
    expect(load({ MONITORING_BIND_ADDRESS: 'localhost' }).bindAddress).toBe('127.0.0.1');
    const ipv6 = load({ MONITORING_BIND_ADDRESS: '::1' });
    expect(ipv6.bindAddress).toBe('::1');
    expect(publishedUrl(ipv6, 'prometheus')).toBe('http://[::1]:9090');
  });
});

describe('the scrape interval against the rules', () => {
  const longest = Duration.millis(shortestRange(RULE_GROUPS).millis / 4);

  test("the rules' shortest range is HighErrorRate's 2m30s (are 5xx still answered?), so a scrape interval of at most 37.5s", () => {
    expect(shortestRange(RULE_GROUPS).toString()).toBe('2m30s');
    expect(longest.toString()).toBe('37s500ms');
  });

  test('a Docker discovery refresh interval over 2m30s is refused: ServiceDiscoveryFailing needs two refreshes in 5m', () => {
    const problems = problemsOf(() =>
      loadMonitoringConfig({ MONITORING_CONFIG: JSON.stringify({ dockerDiscovery: { refreshInterval: '2m31s' } }) }),
    );
    expect(problems).toEqual([expect.objectContaining({ field: 'dockerDiscovery.refreshInterval', value: '2m31s' })]);
    expect(problems[0].reason).toContain('must be at most 2m30s');
  });

  test("CeleryWorkerDown's min_over_time(redis_up[2m]) needs one scrape in its range, not four", () => {
    const reads = rangesRead(RULE_GROUPS).filter((read) => read.range.toString() === '2m');
    expect(reads).toEqual([{ range: Duration.minutes(2), samples: 1 }]);
    expect(rangesRead(RULE_GROUPS).some((read) => read.samples === 4 && read.range.toString() === '5m')).toBe(true);
  });

  test('at the edge it is accepted, a second above it is refused naming the range', () => {
    expect(scrapeIntervalProblems({ scrapeInterval: longest }, RULE_GROUPS)).toEqual([]);
    const [problem] = scrapeIntervalProblems({ scrapeInterval: longest.plus(Duration.seconds(1)) }, RULE_GROUPS);
    expect(problem).toMatchObject({ field: 'prometheus.scrapeInterval', value: '38s500ms' });
    expect(problem.reason).toContain('shortest range, 2m30s, must hold 4 scrapes, so at most 37s500ms');
  });

  test('3m and 10m are refused through the configuration, naming the variable', () => {
    for (const interval of ['3m', '10m']) {
      const problems = problemsOf(() =>
        loadMonitoringConfig({ PROMETHEUS_SCRAPE_INTERVAL: interval, PROMETHEUS_SCRAPE_TIMEOUT: '10s' }, undefined, [
          (config) => scrapeIntervalProblems(config.prometheus, RULE_GROUPS),
        ]),
      );
      expect(problems).toEqual([
        expect.objectContaining({
          field: 'prometheus.scrapeInterval',
          source: { variable: 'PROMETHEUS_SCRAPE_INTERVAL' },
        }),
      ]);
    }
  });
});

describe('secrets are never printed', () => {
  const SENTINEL = 'S3ntinel-Value-4-Tests';

  test('an unknown key holding a password is named, its value is not shown', () => {
    const message = messageOf(() => load({ MONITORING_CONFIG: JSON.stringify({ grafana: { password: SENTINEL } }) }));
    expect(message).toContain('grafana.password in MONITORING_CONFIG: is not a setting');
    expect(message).not.toContain(SENTINEL);
  });

  test('JSON that does not parse is located, never quoted', () => {
    const message = messageOf(() => load({ MONITORING_CONFIG: `{"grafana":{"password":"${SENTINEL}"` }));
    expect(message).toMatch(/MONITORING_CONFIG: is not valid JSON at character \d+ \(its content is not shown\)/);
    expect(message).not.toContain(SENTINEL);
  });

  test("a setting holding a secret's value is refused without showing either", () => {
    const message = messageOf(() => load({ GRAFANA_PASSWORD: SENTINEL, GRAFANA_ADMIN_USER: SENTINEL }));
    expect(message).toContain('GRAFANA_ADMIN_USER (setting grafana.adminUser): holds the value of GRAFANA_PASSWORD');
    expect(message).not.toContain(SENTINEL);
  });

  test('a URL with credentials is refused with them masked', () => {
    const message = messageOf(() => load({ GRAFANA_URL: `http://admin:${SENTINEL}@grafana:3000` }));
    expect(message).toContain('"http://***@grafana:3000" carries credentials');
    expect(message).not.toContain(SENTINEL);
  });

  test('a section given as a string is described by its type only', () => {
    const message = messageOf(() => load({}, { grafana: SENTINEL }));
    expect(message).toContain('grafana in the cdktf context "monitoring": is a string, not an object of settings');
    expect(message).not.toContain(SENTINEL);
  });
});

describe('an empty variable is unset (a .env line NAME= sets nothing)', () => {
  test('empty settings take their defaults', () => {
    const empty = { MONITORING_CONFIG: '', K8S_CONTEXT: '', STATE_S3_BUCKET: '', STATE_S3_KEY: '', API_TARGETS: ' ' };
    expect(load(empty)).toEqual(DEFAULT_CONFIG);
  });
});

describe('what the user set is named, and a typo is pointed out', () => {
  test('each problem names the variable, the JSON key or the context key it came from', () => {
    const message = messageOf(() =>
      load(
        { PROMETHEUS_RETENTION: 'forever', MONITORING_CONFIG: '{"prometheus":{"scrapeTimeout":"soon"}}' },
        { grafana: { adminUser: 'has space' } },
      ),
    );
    expect(message).toContain('PROMETHEUS_RETENTION (setting prometheus.retention): "forever" is not a duration');
    expect(message).toContain('prometheus.scrapeTimeout in MONITORING_CONFIG: "soon" is not a duration');
    expect(message).toContain('grafana.adminUser in the cdktf context "monitoring": "has space" is not valid');
  });

  test("a misspelt variable of this project is warned about, with the one meant; other programs' are not", () => {
    expect(
      unknownVariables({
        PROMETHEUS_RETENSION: '15d',
        MONITORING_BIND_ADRESS: '0.0.0.0',
        DOCKER_SOKET: '/run/docker.sock',
        DOCKER_CONFIG: '/root/.docker',
        POSTGRES_HOST: 'db',
        PATH: '/usr/bin',
      }),
    ).toEqual([
      'DOCKER_SOKET is not a setting of this project and is ignored: did you mean DOCKER_SOCKET?',
      'MONITORING_BIND_ADRESS is not a setting of this project and is ignored: did you mean MONITORING_BIND_ADDRESS?',
      'PROMETHEUS_RETENSION is not a setting of this project and is ignored: did you mean PROMETHEUS_RETENTION?',
    ]);
  });
});

describe('publishing without a login takes an explicit opt-in', () => {
  test('0.0.0.0 is refused, saying why and how to allow it', () => {
    const [problem] = problemsOf(() => load({ MONITORING_BIND_ADDRESS: '0.0.0.0' }));
    expect(problem.field).toBe('bindAddress');
    expect(problem.reason).toMatch(/have no login: anyone who reaches the address .* can silence every alert/);
    expect(problem.reason).toContain('MONITORING_PUBLISH_WITHOUT_AUTH=true');
  });

  test('with the opt-in it is accepted and warned about on every synth', () => {
    const heartbeat = { WATCHDOG_HEARTBEAT_URL: 'https://hc-ping.com/0f1e2d3c' };
    const env = { MONITORING_BIND_ADDRESS: '0.0.0.0', MONITORING_PUBLISH_WITHOUT_AUTH: 'true', ...heartbeat };
    const config = load(env);
    expect(config.bindAddress).toBe('0.0.0.0');
    expect(configWarnings(env, config)).toEqual([expect.stringMatching(/published on 0\.0\.0\.0 without a login/)]);
    expect(configWarnings(heartbeat, load(heartbeat))).toEqual([]);
  });

  test("Prometheus' admin API is refused on a port published beyond loopback, even with the opt-in, naming both settings", () => {
    const env = { MONITORING_BIND_ADDRESS: '0.0.0.0', MONITORING_PUBLISH_WITHOUT_AUTH: 'true' };
    const [problem, ...others] = problemsOf(() => load({ ...env, PROMETHEUS_ADMIN_API: 'true' }));
    expect(others).toEqual([]);
    expect(problem.field).toBe('prometheus.adminApi');
    expect(problem.value).toBe(true);
    expect(problem.reason).toContain('bindAddress "0.0.0.0"');
    expect(problem.reason).toContain('MONITORING_BIND_ADDRESS');
    expect(load({ ...env, PROMETHEUS_ADMIN_API: 'false' }).prometheus.adminApi).toBe(false);
    expect(load({ MONITORING_BIND_ADDRESS: '127.0.0.2', PROMETHEUS_ADMIN_API: 'true' }).prometheus.adminApi).toBe(true);
    expect(messageOf(() => load({ ...env, PROMETHEUS_ADMIN_API: 'true' }))).toContain(
      'PROMETHEUS_ADMIN_API (setting prometheus.adminApi)',
    );
    // The Kubernetes target publishes nothing on the host: bindAddress does not apply there.
    expect(load({ ...env, MONITORING_TARGET: 'kubernetes', PROMETHEUS_ADMIN_API: 'true' }).prometheus.adminApi).toBe(
      true,
    );
  });

  test("without a dead man's switch every synth says a broken Telegram would go unheard", () => {
    expect(configWarnings({}, load({}))).toEqual([
      expect.stringMatching(
        /^WATCHDOG_HEARTBEAT_URL \(alerting\.watchdogHeartbeatUrl\) is not set: when Telegram stops/,
      ),
    ]);
  });
});

describe('each target keeps its own stack and state', () => {
  test('the Kubernetes target defaults to a stack (and so a state file and S3 key) of its own', () => {
    const docker = load({});
    const kubernetes = load({ MONITORING_TARGET: 'kubernetes' });
    expect(kubernetes.stackName).not.toBe(docker.stackName);
    expect(kubernetes.stackName).toBe('stock-tracker-monitoring-kubernetes');
    expect(load({ MONITORING_TARGET: 'kubernetes', MONITORING_STACK_NAME: 'mine' }).stackName).toBe('mine');
  });

  test('with the PostgreSQL backend, a schema of its own', () => {
    expect(load({ MONITORING_TARGET: 'kubernetes', STATE_BACKEND: 'pg' }).backend).toEqual({
      type: 'pg',
      schemaName: 'terraform_remote_state_kubernetes',
    });
    expect(load({ STATE_BACKEND: 'pg' }).backend).toEqual({ type: 'pg' });
  });
});

describe('defaults that follow other settings', () => {
  test("Alertmanager's external URL (the silence links) is on the port it is published on, unless given", () => {
    expect(load({}).alerting.externalUrl).toBe('http://localhost:9093');
    expect(load({ MONITORING_CONFIG: '{"components":{"alertmanager":{"port":9094}}}' }).alerting.externalUrl).toBe(
      'http://localhost:9094',
    );
    expect(
      load({
        MONITORING_CONFIG: '{"components":{"alertmanager":{"port":9094}}}',
        ALERTMANAGER_EXTERNAL_URL: 'https://am.example',
      }).alerting.externalUrl,
    ).toBe('https://am.example');
  });
});

describe('what the review of issue 13 found', () => {
  const SENTINEL = 'S3ntinel-Review-77';

  test('an object or list given where a value belongs is described by its kind, never printed', () => {
    const message = messageOf(() =>
      load({
        MONITORING_CONFIG: JSON.stringify({
          grafana: { adminUser: { name: 'admin', password: SENTINEL } },
          targets: { api: [{ password: SENTINEL }] },
        }),
      }),
    );
    expect(message).toContain('grafana.adminUser in MONITORING_CONFIG: (an object) is not valid');
    expect(message).toContain('targets.api in MONITORING_CONFIG: (a list of 1) is not valid');
    expect(message).not.toContain(SENTINEL);
  });

  test("a secret quoted in a problem's reason is masked", () => {
    const message = messageOf(() => load({ GRAFANA_PASSWORD: SENTINEL, API_TARGETS: `${SENTINEL}:99999` }));
    expect(message).not.toContain(SENTINEL);
  });

  test('credentials in a URL are refused however the password is written, and in the Docker host', () => {
    for (const url of [
      `https://admin:${SENTINEL} xyz@wiki/x`,
      ` https://admin:${SENTINEL}@wiki/x`,
      `https://admin:${SENTINEL}@x@wiki/x`,
    ]) {
      const message = messageOf(() => load({ RUNBOOK_BASE_URL: url }));
      expect(message).toContain('"https://***@wiki/x" carries credentials');
      expect(message).not.toContain(SENTINEL);
    }
    const docker = messageOf(() => load({ DOCKER_HOST: `tcp://user:${SENTINEL}@docker:2376` }));
    expect(docker).toContain('"tcp://***@docker:2376" carries credentials');
    expect(load({ DOCKER_HOST: 'ssh://deploy@docker-host' }).dockerHost).toBe('ssh://deploy@docker-host');
  });

  test('a scrape interval under 10s takes the timeout down with it, as Prometheus does, unless a timeout is given', () => {
    expect(load({ PROMETHEUS_SCRAPE_INTERVAL: '5s' }).prometheus.scrapeTimeout.toString()).toBe('5s');
    expect(problemsOf(() => load({ PROMETHEUS_SCRAPE_INTERVAL: '5s', PROMETHEUS_SCRAPE_TIMEOUT: '6s' }))).toEqual([
      expect.objectContaining({ field: 'prometheus.scrapeTimeout', source: { variable: 'PROMETHEUS_SCRAPE_TIMEOUT' } }),
    ]);
  });

  test('API_TARGETS=none leaves the API to discovery; empty keeps the default', () => {
    expect(load({ API_TARGETS: 'none' }).targets.api).toEqual([]);
    expect(load({ API_TARGETS: '' }).targets.api).toEqual(['api:8000']);
  });

  test('a .env saved with Windows line endings is named, its values not shown', () => {
    const problems = problemsOf(() =>
      load({ GRAFANA_ADMIN_USER: 'admin\r', TF_VAR_grafana_password: `${SENTINEL}\r` }),
    );
    expect(problems.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['GRAFANA_ADMIN_USER', 'TF_VAR_grafana_password']),
    );
    expect(JSON.stringify(problems)).not.toContain(SENTINEL);
  });

  test('loopback in every IPv6 spelling; bindAddress does not apply on Kubernetes', () => {
    for (const address of ['0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])
      expect(load({ MONITORING_BIND_ADDRESS: address }).bindAddress).toBe(address);
    expect(load({ MONITORING_TARGET: 'kubernetes', MONITORING_BIND_ADDRESS: '0.0.0.0' }).target).toBe('kubernetes');
  });

  test('numbers are decimal digits, a bracketed host is an IPv6 address', () => {
    for (const port of ['0x1538', '1e3']) expect(problemsOf(() => load({ POSTGRES_PORT: port }))).toHaveLength(1);
    expect(problemsOf(() => load({ REDIS_TARGET: '[:::::]:6379' }))).toHaveLength(1);
    expect(load({ REDIS_TARGET: '[::1]:6379' }).targets.redis).toBe('[::1]:6379');
  });

  test('a __proto__ key is not a way around the settings', () => {
    const problems = problemsOf(() => load({ MONITORING_CONFIG: '{"__proto__":{"stackName":"x"},"stakName":"y"}' }));
    expect(problems.map((problem) => problem.field)).toEqual(['stakName']);
    expect(load({ MONITORING_CONFIG: '{"__proto__":{"stackName":"protostack"}}' }).stackName).toBe(
      'stock-tracker-monitoring',
    );
  });

  test("a typo in the prefix is caught; API_KEY and other programs' variables are not warned about", () => {
    expect(unknownVariables({ PROMETHUES_RETENTION: '15d', API_KEY: 'x' })).toEqual([
      'PROMETHUES_RETENTION is not a setting of this project and is ignored: did you mean PROMETHEUS_RETENTION?',
    ]);
  });
});
