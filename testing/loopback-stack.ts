/**
 * The monitoring stack on loopback, from real programs: any subset of Redis, PostgreSQL, their
 * exporters, node-exporter, the Stock Tracker simulator, a fake Telegram Bot API, Alertmanager and
 * Prometheus, each on a free 127.0.0.1 port, configured with the project's own rendered files
 * (prometheus/, rules/, alerting/) for this target map and a timing profile.
 *
 *   const stack = await LoopbackStack.start();            // everything, DRILL_PROFILE
 *   try { await stack.stopComponent('redis'); ... } finally { await stack.stop(); }
 *
 * Every wait is bounded; `stop()` stops every process and server and removes every temporary
 * directory, whatever state the stack is in. Alertmanager is started, and ready, before
 * Prometheus, so the first alert Prometheus sends is not lost to a resend delay.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ALERTMANAGER_CONFIG_FILE, AlertmanagerSecrets, renderAlertmanagerFiles } from '../domain/alerting';
import { ALERTMANAGER_SNAPSHOT_INTERVAL } from '../targets/docker/alertmanager-container';
import { Duration } from '../core/duration';
import {
  DEFAULT_CONFIG,
  MonitoringConfig,
  RawMonitoringConfig,
  TargetsConfig,
  parseMonitoringConfig,
} from '../config/monitoring-config';
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName, ScrapeTargets } from '../core/components';
import { HostPort } from '../core/host-port';
import { RenderedFile } from '../core/rendered-file';
import { PrometheusApi } from '../clients/prometheus';
import { DRILL_PROFILE, TimingProfile, renderProfiledRuleFiles } from './timing-profile';
import { StockTrackerSimulator } from './simulator';
import {
  DockerDiscovery,
  PROMETHEUS_CONFIG_FILE,
  postgresExporterEnv,
  redisAddress,
  renderPrometheusConfig,
} from '../domain/prometheus';
import { RULE_GROUPS, RuleGroupName, isAlert } from '../domain/rules';
import { FakeTelegram } from './fake-telegram';
import { ProgramSet } from './program-sets';
import {
  ManagedProcess,
  POSTGRES_BIN,
  ProcessGroup,
  freePort,
  portAnswers,
  redisAnswers,
  waitFor,
  waitForHttpOk,
} from './processes';

const run = promisify(execFile);

/**
 * The alerts on the host's own resources (the host group): the loopback node-exporter reads this
 * machine, so on a busy machine they fire for real (HighCPUUsage at a load of 7 on 2 cores).
 */
export const THIS_MACHINE_ALERTS: ReadonlySet<string> = new Set(
  RULE_GROUPS.filter((group) => group.name === 'host').flatMap((group) =>
    group.rules.filter(isAlert).map((rule) => rule.name),
  ),
);

/** Components of the monitoring stack the loopback stack runs from their Debian program, besides Prometheus and Alertmanager: the exporters. */
const LOOPBACK_EXPORTERS: readonly ComponentName[] = COMPONENTS.filter(
  (component) =>
    COMPONENT_DESCRIPTORS[component].debian !== undefined && component !== 'prometheus' && component !== 'alertmanager',
);

/** What the loopback stack can run: the backends, every component with a Debian program, the simulator and the fake Telegram. */
export const LOOPBACK_COMPONENTS: readonly LoopbackComponent[] = [
  'redis',
  'postgres',
  ...LOOPBACK_EXPORTERS,
  'simulator',
  'telegram',
  'alertmanager',
  'prometheus',
];
export type LoopbackComponent = 'redis' | 'postgres' | 'simulator' | 'telegram' | ComponentName;

/**
 * Real programs each component runs (for `describeWithBinaries` / `missingBinaries`): the monitoring
 * components' from `programs` (a set of the version matrix), else their Debian names on PATH; Redis
 * and PostgreSQL always the machine's.
 */
function binariesOf(component: LoopbackComponent, programs?: ProgramSet): string[] {
  switch (component) {
    case 'redis':
      return ['redis-server'];
    case 'postgres':
      return ['initdb', 'postgres', 'pg_isready', 'createdb', 'psql'].map((name) => `${POSTGRES_BIN}/${name}`);
    case 'simulator':
    case 'telegram':
      return [];
    default: {
      const program = COMPONENT_DESCRIPTORS[component].debian;
      if (program === undefined)
        throw new Error(`${component} has no Debian program: the loopback stack cannot run it`);
      return [programs?.binary(program.binary) ?? program.binary];
    }
  }
}

export function loopbackBinaries(
  components: readonly LoopbackComponent[] = LOOPBACK_COMPONENTS,
  programs?: ProgramSet,
): string[] {
  return [...new Set(components.flatMap((component) => binariesOf(component, programs)))];
}

/** Dummy secrets of the right shapes: one chat per severity, so a message's chat shows its route. */
export const LOOPBACK_SECRETS: AlertmanagerSecrets = {
  telegramBotToken: '123456:loopback-not-a-real-token',
  telegramChatIds: { critical: '-1001', warning: '-1002', info: '-1003' },
};

/** The database the postgres-exporter watches and its owner: Stock Tracker's (its compose file's defaults). */
const DATABASE = DEFAULT_CONFIG.targets.postgres.database;
const DATABASE_USER = DEFAULT_CONFIG.targets.postgres.user;

export interface LoopbackStackOptions {
  /** What to start (Alertmanager brings the fake Telegram API along). Default: every component. */
  components?: readonly LoopbackComponent[];
  /** Scrape, evaluation, `for`, window and notification timing. Default `DRILL_PROFILE`. */
  profile?: TimingProfile;
  /**
   * Settings on top of the defaults (e.g. `alerting.timings`); Alertmanager's external URL is set
   * by the stack, and so is the Watchdog heartbeat (to the fake Telegram API's `/heartbeat`)
   * unless `alerting.watchdogHeartbeatUrl` is given (a `FakeHeartbeat`, say).
   */
  config?: RawMonitoringConfig;
  /** Rule groups Prometheus loads. Default: all. */
  ruleGroups?: readonly RuleGroupName[];
  /** `host:port` of an Alertmanager outside this stack, when `alertmanager` is not started here. */
  externalAlertmanager?: HostPort;
  /** Prometheus stores every exporter series instead of only the catalog's (the bench compares). Default false. */
  keepAllExporterSeries?: boolean;
  /** Docker discovery for the API's job, as deployed (a test points it at a socket that fails). Default none. */
  dockerDiscovery?: DockerDiscovery;
  /** Bound on each component's start. Default 30 s. */
  readyTimeoutMs?: number;
  /**
   * The set of real programs Prometheus, Alertmanager and the exporters come from
   * (testing/program-sets.ts, e.g. `await fetchProgramSet('current')`). Default: the Debian
   * programs on PATH (the floor).
   */
  programs?: ProgramSet;
  /**
   * PostgreSQL asks for a password over TCP (scram-sha-256) and its role `stock_tracker` has this
   * one; the postgres-exporter is given it as the stack gives it (`postgresExporterEnv`). Default
   * none: PostgreSQL trusts every loopback connection and the exporter sends an empty password.
   */
  postgresPassword?: string;
}

/** The simulator's scrape targets (the API, the celery-exporter) and its fault control endpoint. */
export type SimulatorEndpoint = 'api' | 'celeryExporter' | 'control';

type Running = ManagedProcess | StockTrackerSimulator | FakeTelegram;

export class LoopbackStack {
  readonly profile: TimingProfile;
  readonly secrets = LOOPBACK_SECRETS;
  private readonly processes = new ProcessGroup();
  private readonly running = new Map<LoopbackComponent, Running>();
  private readonly ports = new Map<LoopbackComponent, number>();
  private readonly simulatorPorts: Record<SimulatorEndpoint, number> = { api: 0, celeryExporter: 0, control: 0 };
  private readonly dirs = new Map<LoopbackComponent, string>();
  private readonly readyTimeoutMs: number;
  private postgresInitialised = false;
  /** The password the postgres-exporter is given (`setPostgresPassword`). */
  private exporterPostgresPassword: string;
  private renderedConfig?: MonitoringConfig;

  private constructor(
    readonly components: readonly LoopbackComponent[],
    private readonly options: LoopbackStackOptions,
  ) {
    this.profile = options.profile ?? DRILL_PROFILE;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    this.exporterPostgresPassword = options.postgresPassword ?? '';
  }

  /** Starts the components in dependency order and waits until each is ready; stops all on failure. */
  static async start(options: LoopbackStackOptions = {}): Promise<LoopbackStack> {
    const wanted = new Set<LoopbackComponent>(options.components ?? LOOPBACK_COMPONENTS);
    // Alertmanager always posts to the fake API here, never to the real Telegram.
    if (wanted.has('alertmanager')) wanted.add('telegram');
    const components = LOOPBACK_COMPONENTS.filter((component) => wanted.has(component));
    const stack = new LoopbackStack(components, options);
    try {
      for (const component of components) stack.ports.set(component, await freePort());
      if (stack.has('simulator'))
        for (const endpoint of ['api', 'celeryExporter', 'control'] as const)
          stack.simulatorPorts[endpoint] = await freePort();
      await Promise.all((['telegram', 'redis', 'postgres', 'simulator'] as const).map((c) => stack.startIfSelected(c)));
      stack.renderedConfig = stack.renderConfig();
      await Promise.all(LOOPBACK_EXPORTERS.map((c) => stack.startIfSelected(c)));
      await stack.startIfSelected('alertmanager');
      await stack.startIfSelected('prometheus');
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** The configuration the files were rendered from (known once Telegram and the ports are). */
  get config(): MonitoringConfig {
    if (!this.renderedConfig) throw new Error('the loopback stack has not rendered its configuration yet');
    return this.renderedConfig;
  }

  has(component: LoopbackComponent): boolean {
    return this.components.includes(component);
  }

  isRunning(component: LoopbackComponent): boolean {
    return this.running.has(component);
  }

  /** `127.0.0.1:<port>` of a component (the simulator's is its API; see `simulatorAddress`). */
  address(component: LoopbackComponent): HostPort {
    if (component === 'telegram') return new URL(this.telegram.url).host;
    if (component === 'simulator') return this.simulatorAddress('api');
    const port = this.ports.get(component);
    if (port === undefined)
      throw new Error(`${component} is not part of this loopback stack (components: ${this.components.join(', ')})`);
    return `127.0.0.1:${port}`;
  }

  /** Where a client reaches a component: `http://...` for HTTP servers, `redis://`, `postgresql://`. */
  url(component: LoopbackComponent): string {
    if (component === 'redis') return redisAddress(this.address('redis'));
    if (component === 'postgres') {
      const target = this.postgresTarget();
      return `postgresql://${encodeURIComponent(target.user)}@${this.address('postgres')}/${encodeURIComponent(target.database)}?sslmode=${target.sslMode}`;
    }
    return `http://${this.address(component)}`;
  }

  /** The simulated API's or celery-exporter's metrics, or the simulator's fault control endpoint. */
  simulatorAddress(process: SimulatorEndpoint): HostPort {
    if (!this.has('simulator')) throw new Error('the simulator is not part of this loopback stack');
    return `127.0.0.1:${this.simulatorPorts[process]}`;
  }

  /** The fake Telegram Bot API Alertmanager posts to (it records every message). */
  get telegram(): FakeTelegram {
    return this.get('telegram') as FakeTelegram;
  }

  /** The running simulator, to inject faults (its control endpoint does the same over HTTP). */
  get simulator(): StockTrackerSimulator {
    return this.get('simulator') as StockTrackerSimulator;
  }

  /** What Prometheus scrapes: this stack's components, nothing for those it does not run. */
  scrapeTargets(): ScrapeTargets {
    const at = (component: LoopbackComponent): HostPort[] => (this.has(component) ? [this.address(component)] : []);
    const components = Object.fromEntries(
      COMPONENTS.map((component) => [COMPONENT_DESCRIPTORS[component].job, at(component)]),
    );
    return {
      ...(components as Omit<ScrapeTargets, 'api'>),
      api: this.has('simulator') ? [this.simulatorAddress('api')] : [],
      celery: this.has('simulator') ? [this.simulatorAddress('celeryExporter')] : [],
    };
  }

  /**
   * Waits until Prometheus has scraped every target successfully (it starts scraping up to 5 s
   * after it is ready); returns the jobs scraped.
   */
  async waitForTargetsUp(timeoutMs = 20_000): Promise<string[]> {
    const prometheus = new PrometheusApi(this.url('prometheus'));
    return waitFor(
      'every Prometheus target to be up',
      async () => {
        const targets = await prometheus.targets();
        return (
          targets.length > 0 &&
          targets.every((target) => target.health === 'up') &&
          targets.map((target) => target.labels.job)
        );
      },
      timeoutMs,
      250,
    );
  }

  /**
   * The data directory of Prometheus (`--storage.tsdb.path`) or Alertmanager (`--storage.path`):
   * kept across a stop and a start, as a volume is.
   */
  dataDir(component: 'prometheus' | 'alertmanager'): string {
    return join(this.dir(component), 'data');
  }

  /** How often Alertmanager rewrites its silences and notification log here: the stack's interval, scaled by the profile. */
  get alertmanagerSnapshotInterval(): Duration {
    return ALERTMANAGER_SNAPSHOT_INTERVAL.times(this.profile.timeScale);
  }

  /** Output a component's process wrote (the last 20 kB), for failure messages. */
  log(component: LoopbackComponent): string {
    const running = this.running.get(component);
    return running instanceof ManagedProcess ? running.log : '';
  }

  /** Stops one component (a drill's fault); PostgreSQL shuts down fast, dropping its clients. */
  async stopComponent(component: LoopbackComponent): Promise<void> {
    const running = this.running.get(component);
    if (component === 'telegram') throw new Error('the fake Telegram API records the messages: it runs until stop()');
    this.running.delete(component);
    if (running instanceof ManagedProcess) {
      if (component === 'postgres' && running.running && running.child.pid) process.kill(-running.child.pid, 'SIGINT');
      await running.stop();
    } else await running?.stop();
  }

  /** Starts a stopped component again on its port, with its data (PostgreSQL, Alertmanager's log). */
  async startComponent(component: LoopbackComponent): Promise<void> {
    if (this.running.has(component)) throw new Error(`${component} is already running`);
    await this.startIfSelected(component);
  }

  async restartComponent(component: LoopbackComponent): Promise<void> {
    await this.stopComponent(component);
    await this.startComponent(component);
  }

  /**
   * The environment an exporter is launched with: for the postgres-exporter the stack's own
   * (`postgresExporterEnv`, as the container gets it) for this stack's PostgreSQL and the password
   * it is given; for the redis-exporter `REDIS_ADDR`.
   */
  exporterEnv(component: ComponentName): Record<string, string> {
    if (component === 'postgresExporter')
      return postgresExporterEnv(this.postgresTarget(), this.exporterPostgresPassword);
    if (component === 'redisExporter') return { REDIS_ADDR: redisAddress(this.address('redis')) };
    return {};
  }

  /**
   * Gives the role `stock_tracker` the password `role` (ALTER ROLE over PostgreSQL's socket, which
   * it trusts; needs `postgresPassword`, so that TCP logins are checked) and the postgres-exporter
   * the password `exporter`, restarting it when it runs: its next scrape logs in anew.
   */
  async setPostgresPassword(role: string, exporter = role): Promise<void> {
    if (this.options.postgresPassword === undefined)
      throw new Error(
        'setPostgresPassword: start the loopback stack with postgresPassword, or PostgreSQL trusts any password',
      );
    await this.alterRolePassword(role);
    this.exporterPostgresPassword = exporter;
    if (this.isRunning('postgresExporter')) await this.restartComponent('postgresExporter');
  }

  /** Stops everything this stack started (Prometheus first, PostgreSQL last), then removes its files. */
  async stop(): Promise<void> {
    const order = [...LOOPBACK_COMPONENTS].reverse().filter((component) => component !== 'telegram');
    for (const component of order) {
      await this.stopComponent(component).catch(() => undefined);
    }
    const telegram = this.running.get('telegram');
    this.running.delete('telegram');
    await telegram?.stop().catch(() => undefined);
    await this.processes.stopAll();
  }

  private get(component: LoopbackComponent): Running {
    const running = this.running.get(component);
    if (!running) throw new Error(`${component} is not running in this loopback stack`);
    return running;
  }

  private postgresTarget(): TargetsConfig['postgres'] {
    return {
      ...this.config.targets.postgres,
      host: '127.0.0.1',
      port: this.ports.get('postgres') ?? 0,
      database: DATABASE,
      user: DATABASE_USER,
    };
  }

  private renderConfig(): MonitoringConfig {
    const given = this.options.config ?? {};
    const alerting = (typeof given.alerting === 'object' ? given.alerting : {}) as Record<string, unknown>;
    const alertmanager = this.has('alertmanager') ? this.address('alertmanager') : this.options.externalAlertmanager;
    // The heartbeat goes where the caller says (a heartbeat service of its own), else to the fake Telegram API.
    const heartbeat = alerting.watchdogHeartbeatUrl === undefined && this.has('telegram');
    return parseMonitoringConfig({
      ...given,
      alerting: {
        ...alerting,
        ...(alertmanager ? { externalUrl: `http://${alertmanager}` } : {}),
        ...(heartbeat ? { watchdogHeartbeatUrl: `${this.telegram.url}/heartbeat` } : {}),
      },
    });
  }

  private dir(component: LoopbackComponent): string {
    let dir = this.dirs.get(component);
    if (!dir) {
      dir = this.processes.tempDir(`stm-${component}-`);
      this.dirs.set(component, dir);
    }
    return dir;
  }

  private async startIfSelected(component: LoopbackComponent): Promise<void> {
    if (!this.has(component)) return;
    this.running.set(component, await this.launch(component));
  }

  private async launch(component: LoopbackComponent): Promise<Running> {
    const port = this.ports.get(component) ?? 0;
    const listen = `127.0.0.1:${port}`;
    // A program that cannot bind exits, but only after whoever holds the port has answered its readiness probe.
    if (await portAnswers(port)) throw new Error(`${component}: ${listen} is already taken by another program`);
    switch (component) {
      case 'telegram':
        return FakeTelegram.start(port);
      case 'simulator':
        return StockTrackerSimulator.start({
          ...this.simulatorPorts,
          redis: this.has('redis') ? this.address('redis') : undefined,
        });
      case 'redis': {
        // A cache-sized maxmemory, as deployed (the memory panels and alert read used/max).
        const redis = this.processes.start('redis', 'redis-server', [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', this.dir(component)],
          ...['--save', '', '--appendonly', 'no', '--maxmemory', '256mb', '--maxmemory-policy', 'allkeys-lru'],
        ]);
        await this.ready(redis, () => redisAnswers(`127.0.0.1:${port}`));
        return redis;
      }
      case 'postgres':
        return this.launchPostgres(port);
      case 'alertmanager': {
        const dir = this.writeFiles(
          component,
          renderAlertmanagerFiles(this.config.alerting, this.secrets, {
            configDir: this.dir(component),
            timeScale: this.profile.timeScale,
            telegramApiUrl: this.telegram.url,
          }),
        );
        return this.launchHttp(
          component,
          binariesOf('alertmanager', this.options.programs)[0],
          [
            `--config.file=${join(dir, ALERTMANAGER_CONFIG_FILE)}`,
            `--storage.path=${this.dataDir('alertmanager')}`,
            `--data.maintenance-interval=${this.alertmanagerSnapshotInterval}`,
            `--web.listen-address=${listen}`,
            `--web.external-url=${this.config.alerting.externalUrl}`,
            '--cluster.listen-address=',
          ],
          {},
          '/-/ready',
        );
      }
      case 'prometheus':
        return this.launchPrometheus(listen);
      default:
        return this.launchExporter(component, listen);
    }
  }

  /** An exporter from its Debian program, listening on loopback, pointed at this stack's Redis or PostgreSQL. */
  private launchExporter(component: ComponentName, listen: HostPort): Promise<ManagedProcess> {
    const { debian, listenFlag, checkPath } = COMPONENT_DESCRIPTORS[component];
    if (debian === undefined || listenFlag === undefined)
      throw new Error(`${component}: its descriptor names no Debian program or listen flag`);
    // An inherited DATA_SOURCE_NAME would win over the stack's DATA_SOURCE_URI/USER/PASS: unset it.
    const env: NodeJS.ProcessEnv = { DATA_SOURCE_NAME: undefined, ...this.exporterEnv(component) };
    return this.launchHttp(
      component,
      binariesOf(component, this.options.programs)[0],
      [`${listenFlag}=${listen}`, ...(debian.args ?? [])],
      env,
      checkPath,
    );
  }

  /**
   * Prometheus with every rule from its first evaluation, as deployed: a fresh Prometheus must not
   * tell anyone anything before it has history (the drills check that nothing else was sent).
   * Callers find every target scraped once.
   */
  private async launchPrometheus(listen: HostPort): Promise<ManagedProcess> {
    const rules = renderProfiledRuleFiles(this.profile, {
      groups: this.options.ruleGroups,
      runbookBaseUrl: this.config.alerting.runbookBaseUrl,
      grafanaUrl: this.config.grafana.publicUrl,
    });
    const alertmanager = this.has('alertmanager') ? this.address('alertmanager') : this.options.externalAlertmanager;
    const prometheusYml = renderPrometheusConfig({
      timing: this.profile.prometheus,
      targets: this.scrapeTargets(),
      extraJobs: [],
      alertmanagers: alertmanager ? [alertmanager] : [],
      ruleFiles: rules.map((file) => file.path),
      keepOnlyCatalogSeries: !this.options.keepAllExporterSeries,
      dockerDiscovery: this.options.dockerDiscovery,
    });
    const dir = this.writeFiles('prometheus', [prometheusYml, ...rules]);
    const prometheus = await this.launchHttp(
      'prometheus',
      binariesOf('prometheus', this.options.programs)[0],
      [
        `--config.file=${join(dir, PROMETHEUS_CONFIG_FILE)}`,
        `--storage.tsdb.path=${this.dataDir('prometheus')}`,
        `--web.listen-address=${listen}`,
        `--rules.alert.resend-delay=${this.profile.resendDelay}`,
        ...(this.config.prometheus.adminApi ? ['--web.enable-admin-api'] : []),
      ],
      {},
      '/-/ready',
    );
    const api = new PrometheusApi(`http://${listen}`);
    await waitFor(
      'every target to be scraped once',
      async () => (await api.targets()).every((target) => target.health !== 'unknown'),
      this.readyTimeoutMs,
      250,
    );
    return prometheus;
  }

  /** initdb once (its data survives restarts), then a server on loopback with its socket in its own dir. */
  private async launchPostgres(port: number): Promise<ManagedProcess> {
    const dir = this.dir('postgres');
    const data = join(dir, 'data');
    const firstStart = !this.postgresInitialised;
    if (firstStart) {
      const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
      const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
      chownSync(dir, uid, gid);
      // With a password, TCP logins are checked (as the application's PostgreSQL does); the socket stays trusted for setup.
      const auth =
        this.options.postgresPassword === undefined
          ? ['-A', 'trust']
          : ['--auth-local=trust', '--auth-host=scram-sha-256'];
      await run(
        'runuser',
        ['-u', 'postgres', '--', `${POSTGRES_BIN}/initdb`, '-D', data, ...auth, '-U', DATABASE_USER, '--no-sync'],
        { timeout: this.readyTimeoutMs },
      );
      this.postgresInitialised = true;
    }
    const postgres = this.processes.start(
      'postgres',
      `${POSTGRES_BIN}/postgres`,
      [
        '-D',
        data,
        '-k',
        dir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
      ],
      { user: 'postgres' },
    );
    // pg_isready asks over TCP (where the exporter connects) without logging in; the rest goes through the socket.
    await this.ready(
      postgres,
      async () =>
        await run(`${POSTGRES_BIN}/pg_isready`, ['-h', '127.0.0.1', '-p', String(port), '-U', DATABASE_USER]).then(
          () => true,
          () => false,
        ),
    );
    if (firstStart) {
      await run(`${POSTGRES_BIN}/createdb`, [...this.postgresSocketClient(), DATABASE], {
        timeout: this.readyTimeoutMs,
      });
      if (this.options.postgresPassword !== undefined) await this.alterRolePassword(this.options.postgresPassword);
    }
    return postgres;
  }

  /** psql, createdb... arguments that reach this stack's PostgreSQL through its socket, as its superuser. */
  private postgresSocketClient(): string[] {
    return ['-h', this.dir('postgres'), '-p', String(this.ports.get('postgres') ?? 0), '-U', DATABASE_USER];
  }

  /** ALTER ROLE stock_tracker PASSWORD as an SQL string literal (quotes doubled; backslashes are literal in it). */
  private async alterRolePassword(password: string): Promise<void> {
    const literal = `'${password.replace(/'/g, "''")}'`;
    await run(
      `${POSTGRES_BIN}/psql`,
      [
        ...this.postgresSocketClient(),
        '-d',
        DATABASE,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `ALTER ROLE ${DATABASE_USER} PASSWORD ${literal}`,
      ],
      { timeout: this.readyTimeoutMs },
    );
  }

  private async launchHttp(
    component: LoopbackComponent,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    readyPath: string,
  ): Promise<ManagedProcess> {
    const started = this.processes.start(component, command, args, { env });
    await this.ready(started, async () => {
      await waitForHttpOk(`http://${this.address(component)}${readyPath}`, 1_000);
      return true;
    });
    return started;
  }

  /** Waits for `check`, failing at once (with the program's output) if the program exits. */
  private async ready(started: ManagedProcess, check: () => Promise<boolean>): Promise<void> {
    const outcome = await waitFor(
      `${started.name} to be ready`,
      async () => (started.running ? (await check().catch(() => false)) && 'ready' : 'exited'),
      this.readyTimeoutMs,
    ).catch((error: Error) => error.message);
    if (outcome !== 'ready')
      throw new Error(`${started.name} did not start (${outcome}):\n${started.log.slice(-2_000)}`);
  }

  private writeFiles(component: LoopbackComponent, files: RenderedFile[]): string {
    const dir = this.dir(component);
    for (const file of files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    return dir;
  }
}
