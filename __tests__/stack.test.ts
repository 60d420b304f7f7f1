/**
 * The synthesized Terraform of the whole stack: every container with its pinned image,
 * healthcheck, limits, network, loopback ports and configuration; protected volumes; Grafana
 * provisioned without racing the container; secrets only as sensitive variables.
 */
import { COMPONENTS } from '../core/components';
import { DEFAULT_CONFIG, MonitoringConfig, containerName, parseMonitoringConfig } from '../config/monitoring-config';
import { ALL_SECRETS, REDIS_PASSWORD_SECRET, SECRETS, secretMatches, severityChatIdSecret } from '../config/secrets';
import { SECRET_CHECKS_ID } from '../targets/shared/secret-variables';
import { RULE_GROUPS, renderRuleFiles } from '../domain/rules';
import { renderAlertmanagerFiles } from '../domain/alerting';
import { PROMETHEUS_DATASOURCE_UID, RenderedDashboard, renderDashboards } from '../domain/dashboards';
import { renderPrometheusConfig, stackPrometheusInput } from '../domain/prometheus';
import { GRAFANA_PROVIDER_VERSION, configDigest } from '../targets/docker';
import { METRICS } from '../domain/metrics';
import {
  APP_NETWORK,
  APP_NETWORK_ENV,
  SAMPLE_RULE_GROUPS,
  TerraformJson,
  containerNamed,
  imageOf,
  onAppNetwork,
  resourcesOf,
  synthFromEnvironment,
  synthStack,
} from '../testing/synth';
import { MonitoringStackProps } from '../targets/shared/stack-props';
import { targetsFromConfig } from '../tools/check';
import { parse } from 'yaml';

/** Fixed content for the seams, so the snapshot does not move when rules/alerting/dashboards change. */
const SAMPLE: Omit<MonitoringStackProps, 'config'> = {
  ruleGroups: SAMPLE_RULE_GROUPS,
  alertmanagerFiles: (_config, secrets) => [
    {
      path: 'alertmanager.yml',
      content: `token: ${secrets.telegramBotToken}\nchats: ${JSON.stringify(secrets.telegramChatIds)}\n`,
    },
    { path: 'templates/telegram.tmpl', content: '{{ define "telegram.message" }}x{{ end }}\n' },
  ],
  dashboards: [{ uid: 'overview', title: 'Overview', json: '{"uid":"overview","title":"Overview"}' }],
};

const names = Object.fromEntries(COMPONENTS.map((c) => [c, containerName(DEFAULT_CONFIG, c)])) as Record<
  (typeof COMPONENTS)[number],
  string
>;

function uploads(container: Record<string, any>): Record<string, string> {
  return Object.fromEntries(
    (container.upload ?? []).map((u: { file: string; content: string }) => [u.file, u.content]),
  );
}

function label(container: Record<string, any>, key: string): string | undefined {
  return container.labels.find((l: { label: string }) => l.label === key)?.value;
}

/** cdktf writes the local backend's absolute path: mask it so the snapshot holds on any clone. */
function withoutMachinePaths(json: TerraformJson): TerraformJson {
  return JSON.parse(
    JSON.stringify(json).replace(
      /"path":"\/[^"]*terraform\.([^"]+)\.tfstate"/g,
      '"path":"<project>/terraform.$1.tfstate"',
    ),
  );
}

describe('the stack with sample rules, Alertmanager files and a dashboard', () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthStack(onAppNetwork(DEFAULT_CONFIG), SAMPLE).json;
  });

  test('matches the snapshot', () => {
    expect(withoutMachinePaths(json)).toMatchSnapshot();
  });

  test('declares the eight containers, each with its pinned image, kept on destroy', () => {
    expect(
      resourcesOf(json, 'docker_container')
        .map((c) => c.name)
        .sort(),
    ).toEqual(Object.values(names).sort());
    for (const component of COMPONENTS) {
      const image = imageOf(json, containerNamed(json, names[component]));
      expect(image.name).toBe(DEFAULT_CONFIG.components[component].image);
      expect(image.name).toMatch(/:v?\d+\.\d+\.\d+(-alpine)?$/);
      expect(image.keep_locally).toBe(true);
    }
  });

  test.each(COMPONENTS)(
    '%s: restart policy, HTTP healthcheck on its port, memory limit, log rotation, app network, loopback port',
    (component) => {
      const container = containerNamed(json, names[component]);
      const { port, memoryLimitMb } = DEFAULT_CONFIG.components[component];
      expect(container.restart).toBe('unless-stopped');
      const url = expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${port}/`));
      // The celery-exporter's image is Python without wget or curl: its probe is Python's urllib.
      expect(container.healthcheck.test).toEqual(
        component === 'celeryExporter'
          ? ['CMD', 'python', '-c', expect.stringContaining(`urllib.request.urlopen("http://127.0.0.1:${port}/health"`)]
          : ['CMD', 'wget', '-q', '--spider', url],
      );
      expect(container.healthcheck).toMatchObject({ interval: '15s', timeout: '5s', retries: 5 });
      expect(container.memory).toBe(memoryLimitMb);
      expect(container.log_driver).toBe('json-file');
      expect(container.log_opts).toEqual({ 'max-size': '10m', 'max-file': '3' });
      if (component === 'nodeExporter') return; // the host's network: below
      expect(container.networks_advanced).toEqual([{ name: '${data.docker_network.app-network.name}' }]);
      expect(container.ports).toEqual([{ internal: port, external: port, ip: '127.0.0.1' }]);
      expect(container.network_mode).toBeUndefined();
    },
  );

  test("node-exporter runs as its README says, in the host's network and PID namespaces, the host's / read-only at /host", () => {
    const container = containerNamed(json, names.nodeExporter);
    expect(container.network_mode).toBe('host');
    expect(container.pid_mode).toBe('host');
    // Nothing to publish or join on the host's network.
    expect(container.networks_advanced).toBeUndefined();
    expect(container.ports).toBeUndefined();
    expect(container.mounts).toEqual([
      { type: 'bind', source: '/', target: '/host', read_only: true, bind_options: { propagation: 'rslave' } },
    ]);
    expect(container.command).toEqual([
      '--path.rootfs=/host',
      '--web.listen-address=127.0.0.1:9100',
      '--web.listen-address=${try(local.app_network_gateways[0], "")}:9100',
      '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+)($|/)',
    ]);
    expect(container.healthcheck.test).toEqual(['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:9100/']);
  });

  test("the gateway node-exporter listens on is the app network's IPv4 gateway, read at plan time; the plan fails without one", () => {
    expect(json.locals).toEqual({
      app_network_gateways:
        '${[for c in data.docker_network.app-network.ipam_config : c.gateway if can(cidrnetmask(format("%s/32", c.gateway)))]}',
    });
    const check = {
      condition: '${length(local.app_network_gateways) > 0}',
      error_message: expect.stringContaining(`The Docker network ${APP_NETWORK} reports no IPv4 gateway`),
    };
    for (const name of [names.nodeExporter, names.prometheus])
      expect(containerNamed(json, name).lifecycle).toEqual({ precondition: [check] });
  });

  test("Prometheus, on the app network, reaches node-exporter at host.docker.internal, the app network's gateway; instance stays the container's name", () => {
    const prometheus = containerNamed(json, names.prometheus);
    expect(prometheus.host).toEqual([
      { host: 'host.docker.internal', ip: '${try(local.app_network_gateways[0], "")}' },
    ]);
    expect(prometheus.networks_advanced).toEqual([{ name: '${data.docker_network.app-network.name}' }]);
    const job = (
      parse(uploads(prometheus)['/etc/prometheus/prometheus.yml']).scrape_configs as Record<string, any>[]
    ).find((j) => j.job_name === 'node-exporter');
    expect(job?.static_configs).toEqual([
      { targets: ['host.docker.internal:9100'], labels: { instance: 'stock-tracker-node-exporter:9100' } },
    ]);
    // No other container has a host entry or the host's namespaces.
    for (const container of resourcesOf(json, 'docker_container').filter(
      (c) => c.name !== names.prometheus && c.name !== names.nodeExporter,
    )) {
      expect([container.name, container.host, container.pid_mode]).toEqual([container.name, undefined, undefined]);
    }
  });

  test("npm run check asks node-exporter where it listens on the host's loopback", () => {
    const listening = containerNamed(json, names.nodeExporter)
      .command.filter((arg: string) => arg.startsWith('--web.listen-address='))
      .map((arg: string) => `http://${arg.split('=')[1]}`);
    expect(listening).toContain(targetsFromConfig(DEFAULT_CONFIG, {}).urls.nodeExporter);
  });

  test('node-exporter listens on a bind address beyond loopback, once on every address (0.0.0.0) and then not on the gateway', () => {
    const command = (bindAddress: string) =>
      containerNamed(
        synthStack(onAppNetwork(parseMonitoringConfig({ bindAddress, publishWithoutAuth: true })), SAMPLE).json,
        names.nodeExporter,
      ).command.filter((arg: string) => arg.startsWith('--web.listen-address='));
    expect(command('0.0.0.0')).toEqual(['--web.listen-address=0.0.0.0:9100']);
    expect(command('192.168.1.5')).toEqual([
      '--web.listen-address=192.168.1.5:9100',
      '--web.listen-address=${try(local.app_network_gateways[0], "")}:9100',
    ]);
  });

  test('joins the existing application network by name, without managing it', () => {
    expect(json.data.docker_network['app-network'].name).toBe(APP_NETWORK);
    expect(json.resource.docker_network).toBeUndefined();
  });

  test('Prometheus, Alertmanager and Grafana keep their data on named volumes protected from destroy', () => {
    const mounts = { prometheus: '/prometheus', alertmanager: '/alertmanager', grafana: '/var/lib/grafana' } as const;
    const volumes = resourcesOf(json, 'docker_volume');
    expect(volumes).toHaveLength(3);
    for (const volume of volumes) expect(volume.lifecycle).toEqual({ prevent_destroy: true });
    for (const [component, path] of Object.entries(mounts)) {
      const [mounted] = containerNamed(json, names[component as keyof typeof mounts]).volumes;
      expect(mounted.container_path).toBe(path);
      const id = /^\$\{docker_volume\.([^.]+)\.name\}$/.exec(mounted.volume_name)?.[1];
      expect(json.resource.docker_volume[id!].name).toBe(`${names[component as keyof typeof mounts]}-data`);
    }
  });

  test('Prometheus gets its rendered config, the rule files, its retention and the Docker socket read-only', () => {
    const prometheus = containerNamed(json, names.prometheus);
    const files = uploads(prometheus);
    const expected = renderPrometheusConfig(stackPrometheusInput(onAppNetwork(DEFAULT_CONFIG), ['rules/api.yml']));
    expect(files['/etc/prometheus/prometheus.yml']).toBe(expected.content);
    expect(files['/etc/prometheus/rules/api.yml']).toBe(renderRuleFiles(SAMPLE_RULE_GROUPS)[0].content);
    expect(prometheus.command).toEqual(
      expect.arrayContaining(['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.retention.time=30d']),
    );
    expect(prometheus.mounts).toEqual([
      expect.objectContaining({ source: '/var/run/docker.sock', target: '/var/run/docker.sock', read_only: true }),
    ]);
    expect(prometheus.group_add).toEqual(['999']);
  });

  test('Alertmanager gets its files rendered with secret expressions, never values', () => {
    const files = uploads(containerNamed(json, names.alertmanager));
    expect(Object.keys(files).sort()).toEqual([
      '/etc/alertmanager/alertmanager.yml',
      '/etc/alertmanager/templates/telegram.tmpl',
    ]);
    expect(files['/etc/alertmanager/alertmanager.yml']).toContain('token: ${var.telegram_bot_token}');
    expect(files['/etc/alertmanager/alertmanager.yml']).toContain('"critical":"${var.telegram_alert_chat_id}"');
  });

  test('Alertmanager runs one instance with the external URL of config, its routes at /', () => {
    expect(containerNamed(json, names.alertmanager).command).toEqual(
      expect.arrayContaining([
        '--cluster.listen-address=',
        `--web.external-url=${DEFAULT_CONFIG.alerting.externalUrl}`,
        '--web.route-prefix=/',
      ]),
    );
  });

  test('exporters reach their backends from config; the Postgres password is the variable as it is, apart from the URI', () => {
    // The exporter builds its connection URL from these itself (url.UserPassword): nothing is encoded here.
    expect(containerNamed(json, names.postgresExporter).env).toEqual([
      'DATA_SOURCE_URI=postgres:5432/stock_tracker?sslmode=disable',
      'DATA_SOURCE_USER=stock_tracker',
      'PGPASSWORD=${var.postgres_password}',
    ]);
    expect(containerNamed(json, names.redisExporter).env).toEqual(['REDIS_ADDR=redis://redis:6379']);
    const celery = containerNamed(json, names.celeryExporter);
    expect(celery.env).toEqual(['CE_BROKER_URL=redis://redis:6379/0']);
    // Every queue of the application from the first scrape, runtime buckets of the catalog, and it survives a broker restart.
    expect(celery.command).toEqual([
      '--port=9808',
      '--queues=sync,default,maintenance',
      `--buckets=${METRICS.celery.taskRuntime.buckets?.join(',')}`,
      '--retry-interval=5',
    ]);
  });

  test('an application that runs its own celery-exporter gets none from the stack; Prometheus scrapes its', () => {
    const own = synthStack(
      onAppNetwork(parseMonitoringConfig({ targets: { celeryExporter: 'celery-exporter:9808' } })),
      SAMPLE,
    ).json;
    expect(resourcesOf(own, 'docker_container').map((c) => c.name)).not.toContain(names.celeryExporter);
    expect(uploads(containerNamed(own, names.prometheus))['/etc/prometheus/prometheus.yml']).toContain(
      '- celery-exporter:9808',
    );
  });

  test('a Redis that asks for a password gets the redis_password variable, never a value', () => {
    const withPassword = synthStack(
      onAppNetwork(parseMonitoringConfig({ targets: { redisRequiresPassword: true } })),
      SAMPLE,
    ).json;
    expect(containerNamed(withPassword, names.redisExporter).env).toEqual([
      'REDIS_ADDR=redis://redis:6379',
      'REDIS_PASSWORD=${var.redis_password}',
    ]);
    expect(containerNamed(withPassword, names.celeryExporter).env).toEqual([
      'CE_BROKER_URL=redis://:${urlencode(var.redis_password)}@redis:6379/0',
    ]);
    expect(withPassword.variable[REDIS_PASSWORD_SECRET.variable]).toMatchObject({
      type: 'string',
      sensitive: true,
      nullable: false,
    });
  });

  test('cAdvisor exports only the restart count of the container labels: ContainerRestarting counts its series', () => {
    const flags = containerNamed(json, names.cadvisor).command as string[];
    expect(flags).toEqual(
      expect.arrayContaining(['-store_container_labels=false', '-whitelisted_container_labels=restartcount']),
    );
    expect(METRICS.cadvisor.startTime.labels).toHaveProperty('container_label_restartcount');
  });

  test('node-exporter and cAdvisor see the host read-only', () => {
    for (const name of [names.nodeExporter, names.cadvisor]) {
      const mounts = containerNamed(json, name).mounts;
      expect(mounts.length).toBeGreaterThanOrEqual(1);
      for (const mount of mounts) expect(mount).toMatchObject({ type: 'bind', read_only: true });
    }
    expect(containerNamed(json, names.cadvisor).mounts).toHaveLength(5);
  });

  test('a replacement stops Prometheus, Alertmanager and Grafana with 30 s before SIGKILL, every other container with 5 s', () => {
    const stateful: readonly string[] = ['prometheus', 'alertmanager', 'grafana'];
    for (const component of COMPONENTS) {
      const container = containerNamed(json, names[component]);
      expect([component, container.destroy_grace_seconds]).toEqual([component, stateful.includes(component) ? 30 : 5]);
      // docker stop and the daemon's shutdown keep Docker's 10 s: stop_timeout is force-new.
      expect(container.stop_timeout).toBeUndefined();
    }
  });

  test('a deploy waits for every container to be healthy (a crash loop fails it), each as long as its first start may take', () => {
    const containers = resourcesOf(json, 'docker_container');
    expect(containers).toHaveLength(COMPONENTS.length);
    for (const container of containers) {
      expect([container.name, container.wait]).toEqual([container.name, true]);
      expect(container.healthcheck.test.length).toBeGreaterThan(1);
    }
    const timeouts = Object.fromEntries(containers.map((c) => [c.name, c.wait_timeout]));
    // Prometheus replays its WAL before it is ready; Grafana migrates its database at its first start.
    expect(timeouts).toEqual(
      Object.fromEntries(COMPONENTS.map((c) => [names[c], c === 'prometheus' ? 600 : c === 'grafana' ? 180 : 120])),
    );
  });

  test('Prometheus is healthy once ready: its TSDB open and its rules loaded (a bad rule file ends it only then)', () => {
    expect(containerNamed(json, names.prometheus).healthcheck.test).toEqual([
      'CMD',
      'wget',
      '-q',
      '--spider',
      'http://127.0.0.1:9090/-/ready',
    ]);
  });

  test('Grafana resources wait for a healthy Grafana container (no race on first deploy)', () => {
    const grafana = containerNamed(json, names.grafana);
    expect(grafana.wait).toBe(true);
    expect(grafana.wait_timeout).toBeGreaterThanOrEqual(120);
    const grafanaRef = `docker_container.${Object.entries(json.resource.docker_container).find(([, c]) => c.name === names.grafana)![0]}`;
    for (const type of ['grafana_data_source', 'grafana_folder', 'grafana_dashboard']) {
      const resources = resourcesOf(json, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect(resource.depends_on).toContain(grafanaRef);
    }
  });

  test('the Grafana provider is pinned to the release the bindings were generated from, and logs in with the variable', () => {
    expect(json.terraform.required_providers.grafana).toEqual({
      source: 'registry.terraform.io/grafana/grafana',
      version: GRAFANA_PROVIDER_VERSION,
    });
    expect(json.provider.grafana).toEqual([{ url: 'http://127.0.0.1:3000', auth: 'admin:${var.grafana_password}' }]);
  });

  test('Prometheus data source has the fixed uid the dashboards use; dashboards go into the folder', () => {
    const [dataSource] = resourcesOf(json, 'grafana_data_source');
    expect(dataSource).toMatchObject({
      uid: PROMETHEUS_DATASOURCE_UID,
      type: 'prometheus',
      url: 'http://stock-tracker-prometheus:9090',
      is_default: true,
    });
    const [folder] = resourcesOf(json, 'grafana_folder');
    expect(folder).toMatchObject({ title: 'Stock Tracker', uid: 'stock-tracker' });
    const [dashboard] = resourcesOf(json, 'grafana_dashboard');
    expect(dashboard.config_json).toBe(SAMPLE.dashboards![0].json);
    expect(dashboard.folder).toMatch(/^\$\{grafana_folder\.[^.]+\.uid\}$/);
  });

  test('secrets are sensitive variables checked by one precondition each; per-severity chats and the Redis password are declared only when asked for', () => {
    const secretNames = Object.values(SECRETS)
      .map((s) => s.variable)
      .sort();
    expect(Object.keys(json.variable).sort()).toEqual(secretNames);
    for (const variable of Object.values(json.variable)) {
      expect(variable).toEqual({ type: 'string', sensitive: true, nullable: false, description: expect.any(String) });
    }
    const preconditions = json.resource.terraform_data[SECRET_CHECKS_ID].lifecycle.precondition as {
      condition: string;
    }[];
    expect(preconditions.map((p) => /var\.([a-z_]+)/.exec(p.condition)?.[1]).sort()).toEqual(secretNames);
    const separate = synthStack(
      onAppNetwork(parseMonitoringConfig({ telegramSeparateChats: ['critical'] })),
      SAMPLE,
    ).json;
    expect(Object.keys(separate.variable)).toContain(severityChatIdSecret('critical').variable);
    expect(Object.keys(separate.variable)).not.toContain(severityChatIdSecret('warning').variable);
    const alertmanagerYml = uploads(containerNamed(separate, names.alertmanager))['/etc/alertmanager/alertmanager.yml'];
    expect(alertmanagerYml).toContain('"critical":"${var.telegram_critical_chat_id}"');
    expect(alertmanagerYml).toContain('"warning":"${var.telegram_alert_chat_id}"');
  });

  test('every container is planned after the secret checks, so a malformed secret stops the plan before any', () => {
    for (const container of resourcesOf(json, 'docker_container'))
      expect(container.depends_on).toContain(`terraform_data.${SECRET_CHECKS_ID}`);
  });

  test('a configuration change replaces the changed container only; volume names stay the same', () => {
    const changed = synthStack(
      onAppNetwork(parseMonitoringConfig({ prometheus: { scrapeInterval: '30s' } })),
      SAMPLE,
    ).json;
    const digest = (j: TerraformJson, name: string) =>
      label(containerNamed(j, name), 'stock-tracker.monitoring.config-sha256');
    expect(digest(changed, names.prometheus)).toMatch(/^[0-9a-f]{64}$/);
    expect(digest(changed, names.prometheus)).not.toBe(digest(json, names.prometheus));
    expect(digest(changed, names.alertmanager)).toBe(digest(json, names.alertmanager));
    expect(changed.resource.docker_volume).toEqual(json.resource.docker_volume);
  });

  test('the config digest label is the digest of the uploaded files as Terraform sees them', () => {
    const alertmanager = containerNamed(json, names.alertmanager);
    const uploaded = Object.entries(uploads(alertmanager)).map(([file, content]) => ({
      path: file.replace('/etc/alertmanager/', ''),
      content,
    }));
    expect(uploaded.some((file) => file.content.includes('${var.telegram_bot_token}'))).toBe(true);
    expect(label(alertmanager, 'stock-tracker.monitoring.config-sha256')).toBe(configDigest(uploaded));
  });

  test('Grafana can be exposed; everything else stays on loopback', () => {
    const exposed = synthStack(
      onAppNetwork(parseMonitoringConfig({ grafana: { bindAddress: '0.0.0.0' } })),
      SAMPLE,
    ).json;
    expect(containerNamed(exposed, names.grafana).ports[0].ip).toBe('0.0.0.0');
    expect(exposed.provider.grafana[0].url).toBe('http://127.0.0.1:3000');
    expect(containerNamed(exposed, names.prometheus).ports[0].ip).toBe('127.0.0.1');
  });
});

describe('the stack with what rules/, alerting/ and dashboards/ render today', () => {
  const config: MonitoringConfig = onAppNetwork(DEFAULT_CONFIG);
  let json: TerraformJson;
  beforeAll(() => {
    json = synthStack(config).json;
  });

  test('every rendered rule file is uploaded under /etc/prometheus/ and listed in prometheus.yml', () => {
    const files = uploads(containerNamed(json, names.prometheus));
    const ruleFiles = renderRuleFiles(RULE_GROUPS);
    for (const file of ruleFiles) expect(files[`/etc/prometheus/${file.path}`]).toBe(file.content);
    expect(Object.keys(files)).toHaveLength(ruleFiles.length + 1);
    expect(files['/etc/prometheus/prometheus.yml']).toBe(
      renderPrometheusConfig(
        stackPrometheusInput(
          config,
          ruleFiles.map((f) => f.path),
        ),
      ).content,
    );
  });

  test('every rendered Alertmanager file is uploaded under /etc/alertmanager/', () => {
    const files = uploads(containerNamed(json, names.alertmanager));
    const rendered = renderAlertmanagerFiles(config.alerting, {
      telegramBotToken: '${var.telegram_bot_token}',
      telegramChatIds: {
        critical: '${var.telegram_alert_chat_id}',
        warning: '${var.telegram_alert_chat_id}',
        info: '${var.telegram_alert_chat_id}',
      },
    });
    expect(Object.keys(files).sort()).toEqual(rendered.map((f) => `/etc/alertmanager/${f.path}`).sort());
    for (const file of rendered) expect(files[`/etc/alertmanager/${file.path}`]).toBe(file.content);
  });

  test('one grafana_dashboard per rendered dashboard, with its JSON', () => {
    const dashboards: RenderedDashboard[] = renderDashboards({ alertmanager: config.alerting.externalUrl });
    const configJsons = resourcesOf(json, 'grafana_dashboard')
      .map((d) => d.config_json)
      .sort();
    expect(configJsons).toEqual(dashboards.map((d) => d.json).sort());
  });

  test('runbook and panel links in the uploaded rules follow config.alerting.runbookBaseUrl and config.grafana.publicUrl', () => {
    const base = 'https://wiki.example.org/runbooks';
    const grafana = 'https://grafana.example.org';
    const custom = onAppNetwork(
      parseMonitoringConfig({ alerting: { runbookBaseUrl: base }, grafana: { publicUrl: grafana } }),
    );
    const rules = Object.values(uploads(containerNamed(synthStack(custom).json, names.prometheus))).join('\n');
    const links = [...rules.matchAll(/runbook_url: (\S+)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) expect(link).toMatch(new RegExp(`^${base}/[A-Za-z]+\\.md$`));
    const panels = [...rules.matchAll(/dashboard_url: (\S+)/g)].map((m) => m[1]);
    expect(panels.length).toBe(links.length);
    for (const link of panels) expect(link).toMatch(new RegExp(`^${grafana}/d/stock-tracker-[a-z]+\\?viewPanel=\\d+$`));
  });
});

describe('secrets', () => {
  // Built at run time so no token-shaped string sits in the repository.
  const fakeToken = `${String(1e8 + 23456789).slice(0, 9)}:${'Ab9_-'.repeat(7)}`;
  const fakeSecrets: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: fakeToken,
    TELEGRAM_ALERT_CHAT_ID: '-100' + '9876543210',
    TELEGRAM_CRITICAL_CHAT_ID: '-100' + '1234509876',
    GRAFANA_PASSWORD: 'graf' + 'ana-S3cret-pw',
    POSTGRES_PASSWORD: 'pg' + '-S3cret/pw:@',
  };
  const env = {
    ...fakeSecrets,
    ...Object.fromEntries(Object.entries(fakeSecrets).map(([name, value]) => [`TF_VAR_${name.toLowerCase()}`, value])),
  };

  test('no secret value from the environment appears anywhere in the synthesized output', async () => {
    const saved = { ...process.env };
    // Also in process.env, so code that reads it directly instead of the env it is given is caught too.
    Object.assign(process.env, env);
    try {
      const { allOutput } = await synthFromEnvironment({
        ...env,
        ...APP_NETWORK_ENV,
        TELEGRAM_SEPARATE_CHATS: 'critical',
      });
      expect(allOutput).toContain('${var.grafana_password}');
      expect(allOutput).toContain('var.telegram_critical_chat_id');
      for (const value of Object.values(fakeSecrets)) expect(allOutput).not.toContain(value);
      expect(allOutput).not.toContain(encodeURIComponent(fakeSecrets.POSTGRES_PASSWORD));
    } finally {
      process.env = saved;
    }
  });

  test('the secret patterns accept real-shaped values and reject bad ones (and need no HCL escaping)', () => {
    for (const secret of ALL_SECRETS) {
      expect(secret.pattern.source).not.toContain('\\');
      // Neither is a template sequence in the JSON's condition and error message strings.
      expect(`${secret.pattern.source} ${secret.expected}`).not.toMatch(/[$%]\{/);
    }
    expect(SECRETS.telegramBotToken.pattern.test(fakeToken)).toBe(true);
    expect(SECRETS.telegramBotToken.pattern.test('not a token')).toBe(false);
    expect(SECRETS.telegramAlertChatId.pattern.test(fakeSecrets.TELEGRAM_ALERT_CHAT_ID)).toBe(true);
    expect(SECRETS.telegramAlertChatId.pattern.test('')).toBe(false);
    expect(SECRETS.telegramAlertChatId.pattern.test('@channel')).toBe(false);
    expect(SECRETS.grafanaPassword.pattern.test('short')).toBe(false);
    expect(SECRETS.postgresPassword.pattern.test('')).toBe(false);
    // Chat ids are int64 (what Alertmanager reads them into), compared exactly.
    const chat = SECRETS.telegramAlertChatId;
    expect(secretMatches(chat, '9223372036854775807')).toBe(true);
    expect(secretMatches(chat, '-9223372036854775808')).toBe(true);
    expect(secretMatches(chat, '9223372036854775808')).toBe(false);
    expect(secretMatches(chat, '-9223372036854775809')).toBe(false);
    expect(secretMatches(chat, '99999999999999999999')).toBe(false);
    expect(secretMatches(SECRETS.telegramBotToken, `bot${fakeToken}`)).toBe(false);
  });
});
