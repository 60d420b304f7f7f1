/**
 * `npm run e2e:docker`: the stack as real containers on a real Docker engine. Runs itself again in
 * mount and network namespaces of its own (testing/docker/engine.ts), starts a private engine,
 * builds the images from Debian's programs, runs Stock Tracker's side as containers, applies the
 * synthesized cdk.tf.json as the docker provider would, then checks health, targets, rules,
 * Alertmanager, Docker discovery, node-exporter, the original fault drill at production timings, a
 * configuration change and the backup and restore drill. Everything it made goes with the engine at
 * the end, whatever happened.
 * Ends with "N passed, M failed" (exit code 1 on any failure).
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { Duration } from '../../core/duration';
import { SCRAPE_LABELS } from '../../core/components';
import { AlertName } from '../../domain/alerting';
import { RULE_GROUPS, isAlert } from '../../domain/rules';
import { AlertmanagerApi } from '../../clients/alertmanager';
import { PrometheusApi } from '../../clients/prometheus';
import { Application, Service } from '../../testing/docker/application';
import {
  DockerEngine,
  ENGINE_BINARIES,
  inOwnNamespaces,
  prepareOwnNamespaces,
  rerunInOwnNamespaces,
} from '../../testing/docker/engine';
import {
  ImagePrograms,
  IMAGE_RECORDS,
  applicationImages,
  imagePrograms,
  buildImage,
  imageConfigDifferences,
  imagePathsMissing,
} from '../../testing/docker/images';
import { installHint, missingBinaries, waitFor } from '../../testing/processes';
import { notifyTiming } from '../../testing/timing-profile';
import { SentMessage } from '../../testing/fake-telegram';
import { checkRuleEvaluations, checkRuleGroupsLoaded } from '../checks';
import {
  DrillTiming,
  Episode,
  checkFiringMessage,
  checkResolvedMessage,
  messageGroup,
  resolveTimeoutMs,
} from '../drills';
import { Checklist, expectThat, formatTable, seconds } from '../report';
import { e2eProgramSet, timingTable } from '../run';
import { ProgramSet, fetchProgramSet, programSetHint } from '../../testing/program-sets';
import { Deployment, TEST_VARIABLES } from './deployment';
import { backUpForDrill, restoreForDrill } from './backup-drill';
import { filesOf } from '../../testing/docker/tar';

/** The API replicas labelled for discovery at first, and after scaling. */
const REPLICAS = { first: 3, scaled: 5 } as const;

/** Programs the harness needs besides the engine's: Terraform evaluates the expressions; busybox is every image's shell. */
const HARNESS_BINARIES = [...ENGINE_BINARIES, 'terraform', 'busybox', 'tar', 'ldd'];

/** Beyond a bound, how long to keep waiting so that a late message is reported late, not missing. */
const LATE_GRACE_MS = 15_000;

/** The original drill: a compose service stopped, the alert it must cause. */
const DRILLS: readonly { service: Service; alert: AlertName }[] = [
  { service: 'api', alert: 'APIDown' },
  { service: 'redis', alert: 'RedisDown' },
  { service: 'postgres', alert: 'PostgreSQLDown' },
];

/** The original monitoring's promise for the API: told "within 1-2 minutes". */
const ORIGINAL_PROMISE_MS = 120_000;

/** The rule the configuration change alters: APIDown's `for`, 1 m → 2 m. */
const CHANGED_RULE = { alert: 'APIDown', for: Duration.minutes(2) } as const;

/** Builds every image there is a program for, and compares each with its record. */
async function buildImages(engine: DockerEngine, programs: ImagePrograms, checklist: Checklist): Promise<boolean> {
  return checklist.check(
    `images built with docker import from ${programs.title}, laid out as their records (config, program paths, directories)`,
    async () => {
      const layouts = [...Object.values(IMAGE_RECORDS), ...Object.values(applicationImages(programs))];
      await Promise.all(layouts.map((layout) => buildImage(engine.api, layout!, engine.dir, programs)));
      const differences: string[] = [];
      for (const layout of layouts) {
        const image = await engine.api.inspectImage(layout!.reference);
        expectThat(image !== undefined, `${layout!.reference} is not in the engine`);
        differences.push(...imageConfigDifferences(image!, layout!).map((d) => `${layout!.reference}: ${d}`));
        differences.push(
          ...(await imagePathsMissing(engine.api, layout!)).map((path) => `${layout!.reference}: no ${path}`),
        );
      }
      expectThat(differences.length === 0, differences.join('\n'));
      return layouts.map((layout) => layout!.reference).join(', ');
    },
  );
}

/** The first FIRING (or RESOLVED) message about `alert` received at `since` or later, whatever its instance. */
function firstAbout(
  telegram: Application['telegram'],
  alert: AlertName,
  status: 'FIRING' | 'RESOLVED',
  since: number,
  timeoutMs: number,
): Promise<SentMessage> {
  return telegram
    .waitForDelivered(
      `${status} ${alert}`,
      (message) => {
        const group = messageGroup(message);
        return message.receivedAt >= since && group.status === status && group.alert === alert;
      },
      1,
      timeoutMs,
    )
    .then(([message]) => message);
}

/**
 * The original drill at production timings: the three services stopped at once (separate alert
 * groups, each its own message), each alert's FIRING message judged, then started again and each
 * RESOLVED message awaited.
 */
async function originalDrill(app: Application, deployment: Deployment, checklist: Checklist): Promise<DrillTiming[]> {
  const rows = DRILLS.map(({ service, alert }) => ({
    service,
    episode: { alert } as Episode,
    row: {
      drill: `docker stop ${Application.containerName(service)}`,
      alert,
      timing: notifyTiming(alert, deployment.config, deployment.profile),
    } as DrillTiming,
  }));
  const faultAt = Date.now();
  await Promise.all(rows.map(({ service }) => app.stop(service)));
  try {
    await Promise.all(
      rows.map(({ episode, row }) =>
        checklist.check(`${row.drill}: ${row.alert} reaches the fake Telegram`, async () => {
          const message = await firstAbout(
            app.telegram,
            row.alert,
            'FIRING',
            faultAt,
            row.timing.bound.millis + LATE_GRACE_MS,
          );
          episode.instance = messageGroup(message).instance;
          row.notifiedMs = message.receivedAt - faultAt;
          const { seen, activeAt } = await checkFiringMessage(message, episode, deployment);
          row.detectedMs = activeAt - faultAt;
          return `${seconds(row.notifiedMs)} after the stop (floor ${row.timing.floor}, bound ${row.timing.bound}); ${seen}`;
        }),
      ),
    );
  } finally {
    await Promise.all(rows.map(({ service }) => app.start(service)));
  }
  const repairedAt = Date.now();
  await Promise.all(
    rows.map(({ episode, row }) =>
      checklist.check(`docker start ${row.drill.split(' ').at(-1)}: ${row.alert} RESOLVED follows`, async () => {
        const message = await firstAbout(
          app.telegram,
          row.alert,
          'RESOLVED',
          repairedAt,
          resolveTimeoutMs(episode, deployment, row.timing),
        );
        row.resolvedMs = message.receivedAt - repairedAt;
        return `${seconds(row.resolvedMs)} after the start; ${checkResolvedMessage(message, episode, deployment)}`;
      }),
    ),
  );
  return rows.map(({ row }) => row);
}

/** Every target of the containers that run is up, by container name; the others are named. */
async function checkTargets(deployment: Deployment, prometheus: PrometheusApi, checklist: Checklist): Promise<void> {
  await checklist.check('every Prometheus target of a running container is up, by container name', async () => {
    const notRun = new Set(deployment.jobsNotRun());
    const targets = await waitFor(
      'every target up',
      async () => {
        const all = (await prometheus.targets()).filter((target) => !notRun.has(target.labels.job));
        return all.length > 0 && all.every((target) => target.health === 'up') && all;
      },
      120_000,
      1_000,
    ).catch(async (error: Error) => {
      const down = (await prometheus.targets()).filter((t) => t.health !== 'up' && !notRun.has(t.labels.job));
      throw new Error(
        `${error.message}\n${down.map((t) => `${t.labels.job} ${t.scrapeUrl}: ${t.lastError}`).join('\n')}`,
      );
    });
    return `${targets.map((target) => `${target.labels.job}@${new URL(target.scrapeUrl).host}`).join(', ')}; not run: ${[...notRun].join(', ') || 'none'}`;
  });
}

/** The API replicas Prometheus found through Docker discovery, by container name, up. */
async function discoveredReplicas(prometheus: PrometheusApi): Promise<string[]> {
  return (await prometheus.targets())
    .filter((target) => target.health === 'up')
    .map((target) => target.discoveredLabels.__meta_docker_container_name?.replace(/^\//, '') ?? '')
    .filter((name) => name.startsWith(Application.replicaName(0).replace(/0$/, '')))
    .sort();
}

async function checkDiscovery(
  app: Application,
  deployment: Deployment,
  prometheus: PrometheusApi,
  checklist: Checklist,
): Promise<void> {
  const refresh = deployment.config.dockerDiscovery.refreshInterval.millis;
  for (const count of [REPLICAS.first, REPLICAS.scaled]) {
    await checklist.check(
      `Docker discovery finds ${count} containers labelled ${SCRAPE_LABELS.job}=api, no config change`,
      async () => {
        await app.scaleReplicas(count);
        const found = await waitFor(
          `${count} discovered replicas up`,
          async () => {
            const names = await discoveredReplicas(prometheus);
            return names.length === count && names;
          },
          refresh + 60_000,
          1_000,
        );
        return found.join(', ');
      },
    );
  }
}

/** The rendered alertmanager.yml loaded (its receivers and template glob), and the template file as rendered in the container. */
async function checkAlertmanagerLoaded(
  deployment: Deployment,
  engine: DockerEngine,
  checklist: Checklist,
): Promise<void> {
  await checklist.check('Alertmanager loaded the rendered configuration and template', async () => {
    const alertmanager = new AlertmanagerApi(deployment.url('alertmanager'));
    const status = await alertmanager.status();
    const name = deployment.containerName('alertmanager');
    const uploads = deployment.created.get(name)!.plan.uploads;
    const template = uploads.find((upload) => upload.file.endsWith('.tmpl'));
    expectThat(template !== undefined, `no template among the uploads ${uploads.map((u) => u.file).join(', ')}`);
    const glob = `${posix.dirname(template!.file)}/*.tmpl`;
    expectThat(status.config.original.includes(glob), `the loaded config has no template glob ${glob}`);
    expectThat(
      status.config.original.includes(Application.telegramApiUrl),
      `the loaded config lacks the fake Bot API URL ${Application.telegramApiUrl}`,
    );
    const inContainer = filesOf(await engine.api.getArchive(name, template!.file)).get(posix.basename(template!.file));
    expectThat(
      inContainer?.toString('utf8') === template!.content,
      `${template!.file} in ${name} is not the rendered one`,
    );
    const receivers = await alertmanager.receivers();
    return `receivers ${receivers.join(', ')}; ${glob} with ${template!.file} as rendered`;
  });
}

async function checkHealthy(deployment: Deployment, engine: DockerEngine, checklist: Checklist): Promise<void> {
  await checklist.check('every container of the stack reaches healthy through its own healthcheck', async () => {
    const states = await Promise.all(
      deployment.plan.containers.map(
        async ({ name }) =>
          [name, (await engine.api.inspectContainer(name))?.State.Health?.Status ?? 'no healthcheck'] as const,
      ),
    );
    const unhealthy = states.filter(([, status]) => status !== 'healthy');
    expectThat(unhealthy.length === 0, unhealthy.map(([name, status]) => `${name}: ${status}`).join('\n'));
    return states.map(([name]) => `${name} (${seconds(deployment.created.get(name)?.tookMs ?? 0)})`).join(', ');
  });
}

/** The interfaces of this network namespace, from /proc/self/net/dev. */
function hostInterfaces(): string[] {
  return readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0].trim())
    .filter(Boolean);
}

/**
 * node-exporter, with its host mounts, in the host's network: the host's root filesystem, and the
 * interfaces of the harness's network namespace (the engine's "host"), whose Docker bridges no
 * container's own namespace has. /proc/self/net/dev lists this namespace's (/sys/class/net would
 * show the namespace sysfs was mounted in).
 */
async function checkNodeExporter(prometheus: PrometheusApi, checklist: Checklist): Promise<void> {
  await checklist.check(
    "node-exporter reports the host's root filesystem and the host's network interfaces",
    async () => {
      const root = await prometheus.query('node_filesystem_size_bytes{mountpoint="/"}');
      expectThat(root.length > 0, 'no node_filesystem_size_bytes for mountpoint "/"');
      const bridges = hostInterfaces().filter((device) => device === 'docker0' || device.startsWith('br-'));
      const reported = await waitFor(
        'the bridges reported',
        async () => {
          const devices = new Set(
            (await prometheus.query('node_network_receive_bytes_total')).map((sample) => sample.metric.device),
          );
          return bridges.every((bridge) => devices.has(bridge)) && devices;
        },
        30_000,
        1_000,
      );
      const host = hostInterfaces();
      const foreign = [...reported].filter((device) => !host.includes(device));
      expectThat(foreign.length === 0, `reported interfaces not of the host: ${foreign.join(', ')}`);
      return `/ on ${root[0].metric.device} (${root[0].metric.fstype}); ${reported.size} of the host's interfaces, bridges ${bridges.join(', ')}`;
    },
  );
}

/**
 * The configuration change: a render with APIDown's `for` changed and Alertmanager's external URL
 * changed replaces both containers the provider's way; the series stored before and an active
 * silence survive on their named volumes.
 */
async function checkConfigurationChange(deployment: Deployment, checklist: Checklist): Promise<void> {
  const prometheusName = deployment.containerName('prometheus');
  const alertmanagerName = deployment.containerName('alertmanager');
  const before = Date.now();
  const stored = await new PrometheusApi(deployment.url('prometheus')).query(`up{job="prometheus"}`, before);
  const silence = await new AlertmanagerApi(deployment.url('alertmanager')).createSilence({
    matchers: [{ name: 'alertname', value: 'SilencedAcrossReplacement', isRegex: false }],
    startsAt: new Date(before).toISOString(),
    endsAt: new Date(before + 3_600_000).toISOString(),
    createdBy: 'e2e-docker',
    comment: 'must survive the replacement',
  });
  const ruleGroups = RULE_GROUPS.map((group) => ({
    ...group,
    rules: group.rules.map((rule) =>
      isAlert(rule) && rule.name === CHANGED_RULE.alert ? { ...rule, for: CHANGED_RULE.for } : rule,
    ),
  }));
  await checklist.check('a changed render replaces Prometheus and Alertmanager as the provider does', async () => {
    const replaced = await deployment.rerender({
      ruleGroups,
      env: { ALERTMANAGER_EXTERNAL_URL: 'http://alertmanager.e2e-docker.invalid:9093' },
    });
    const names = replaced.map((change) => change.name).sort();
    expectThat(
      JSON.stringify(names) === JSON.stringify([alertmanagerName, prometheusName].sort()),
      `replaced ${replaced.map((change) => `${change.name} (${change.attributes.join(', ')})`).join('; ') || 'nothing'}`,
    );
    return replaced.map((change) => `${change.name}: ${change.attributes.join(', ')}`).join('; ');
  });
  const prometheus = new PrometheusApi(deployment.url('prometheus'));
  await checklist.check(
    'after the replacement Prometheus runs the changed rule and still has the series stored before',
    async () => {
      const rule = await waitFor(
        `${CHANGED_RULE.alert} loaded`,
        async () =>
          (await prometheus.ruleGroups()).flatMap((group) => group.rules).find((r) => r.name === CHANGED_RULE.alert),
        60_000,
        500,
      );
      expectThat(rule.duration === CHANGED_RULE.for.seconds, `${CHANGED_RULE.alert} has for ${rule.duration} s`);
      const after = await prometheus.query(`up{job="prometheus"}`, before);
      expectThat(
        stored.length > 0 && after.length === stored.length,
        `before: ${stored.length} series at ${before}, after: ${after.length}`,
      );
      return `${CHANGED_RULE.alert} for ${rule.duration} s; up{job="prometheus"} at ${new Date(before).toISOString()} still answered`;
    },
  );
  await checklist.check('after the replacement Alertmanager still holds the active silence', async () => {
    const silences = await waitFor(
      'silences',
      () => new AlertmanagerApi(deployment.url('alertmanager')).silences(),
      60_000,
      500,
    );
    const kept = silences.find((s) => s.id === silence);
    expectThat(kept?.status.state === 'active', `silence ${silence}: ${JSON.stringify(kept?.status)}`);
    return `silence ${silence} active`;
  });
}

/** What the harness could not run, and why: a line per container or resource. */
function notRunTable(deployment: Deployment): string {
  const rows = [
    ...deployment.plan.notRun.map(({ name, why }) => [name, 'translated and validated, not run', why]),
    ...deployment.plan.otherProviders.map((address) => [
      address,
      'not applied',
      'the Grafana provider needs a Grafana server, which cannot run here',
    ]),
  ];
  return `Not run here\n${formatTable(['resource', 'what', 'why'], rows)}`;
}

async function runOnEngine(engine: DockerEngine, set: ProgramSet, checklist: Checklist): Promise<DrillTiming[]> {
  const programs = imagePrograms(set);
  if (!(await buildImages(engine, programs, checklist))) return [];
  const images = applicationImages(programs);
  let app: Application | undefined;
  await checklist.check('Stock Tracker side runs as containers on its compose network, each healthy', async () => {
    app = await Application.start({
      api: engine.api,
      images: { redis: images.redis.reference, postgres: images.postgres.reference, node: images.node.reference },
      postgres: { user: 'stock_tracker', password: TEST_VARIABLES.postgres_password, database: 'stock_tracker' },
      replicas: 0,
    });
    return (await engine.api.containerNames()).join(', ');
  });
  if (!app) return [];
  let deployment: Deployment | undefined;
  await checklist.check('the synthesized cdk.tf.json is applied as the docker provider would apply it', async () => {
    deployment = await Deployment.synthesize(engine);
    await deployment.apply();
    return `${deployment.created.size} containers, ${Object.keys(deployment.plan.volumes).length} volumes; not run: ${deployment.plan.notRun.map((n) => n.name).join(', ')}`;
  });
  if (!deployment || deployment.created.size === 0) return [];
  console.log(`\n${notRunTable(deployment)}\n`);
  const prometheus = new PrometheusApi(deployment.url('prometheus'));
  await checkHealthy(deployment, engine, checklist);
  await checkTargets(deployment, prometheus, checklist);
  await checkRuleGroupsLoaded(prometheus, checklist);
  await checkRuleEvaluations(prometheus, checklist, 'every rule evaluates without failure', 60_000);
  await checkAlertmanagerLoaded(deployment, engine, checklist);
  await checkNodeExporter(prometheus, checklist);
  await checkDiscovery(app, deployment, prometheus, checklist);
  // Alongside the fault drill: the backup waits up to a minute for Alertmanager's next snapshot. The archive goes
  // in the engine's folder, removed with it whatever happens.
  const backup = backUpForDrill(deployment, engine.dir, checklist);
  const timings = await originalDrill(app, deployment, checklist);
  const taken = await backup;
  await checkConfigurationChange(deployment, checklist);
  if (taken) await restoreForDrill(deployment, taken, checklist);
  return timings;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const checklist = new Checklist();
  const missing = missingBinaries(HARNESS_BINARIES);
  if (missing.length > 0) {
    console.error(`missing ${missing.join(', ')}: ${installHint(missing)}`);
    process.exitCode = 1;
    return;
  }
  prepareOwnNamespaces();
  let engine: DockerEngine | undefined;
  let timings: DrillTiming[] = [];
  let set: ProgramSet | undefined;
  const interrupted = () => void engine?.stop().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await checklist.check(`the ${e2eProgramSet()} program set is ready (PROGRAM_SET)`, async () => {
      set = await fetchProgramSet(e2eProgramSet());
      const missing = set.missing(
        Object.values(IMAGE_RECORDS).flatMap((record) => record!.programs.map((p) => p.program)),
      );
      expectThat(missing.length === 0, `missing ${missing.join(', ')}: ${programSetHint(set.name, missing)}`);
      return set.title;
    });
    await checklist.check('a Docker engine of its own starts', async () => {
      engine = await DockerEngine.start();
      const version = await engine.api.version();
      return `dockerd ${version.Version} (API ${version.ApiVersion}) in ${engine.dir}`;
    });
    if (engine && set) timings = await runOnEngine(engine, set, checklist);
  } finally {
    await engine?.stop();
  }
  if (set) console.log(`\n${timingTable(timings, set)}`);
  const api = timings.find((row) => row.alert === 'APIDown' && row.notifiedMs !== undefined);
  if (api)
    console.log(
      `APIDown told ${seconds(api.notifiedMs!)} after the API stopped; the original promised "within 1-2 minutes" (${api.notifiedMs! <= ORIGINAL_PROMISE_MS ? 'kept' : 'not kept'})`,
    );
  console.log(`\n${checklist.summary()} in ${seconds(Date.now() - startedAt)}`);
  process.exitCode = checklist.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  if (!inOwnNamespaces()) rerunInOwnNamespaces().then((code) => (process.exitCode = code));
  else
    main().catch((error: Error) => {
      console.error(error.stack ?? error.message);
      process.exitCode = 1;
    });
}
