/**
 * The stack deployed on the harness's own Docker engine: synthesized in-process against that
 * engine, planned from its `cdk.tf.json` and applied container by container as the docker provider
 * would (testing/docker/translator.ts), and replaced the provider's way when a new render changes a
 * container.
 */
import { renderAlertmanagerFiles } from '../../domain/alerting';
import { RuleGroup } from '../../domain/rules';
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName, JOB } from '../../core/components';
import { MonitoringConfig, containerName } from '../../config/monitoring-config';
import { loadMonitoringConfig } from '../../config/load';
import { withApplicationNetwork } from '../../main';
import { SEVERITIES, Severity } from '../../core/severity';
import { synthFromEnvironment } from '../../testing/synth';
import { dataVolumeName } from '../../targets/docker/monitored-container';
import { Application } from '../../testing/docker/application';
import { DockerEngine } from '../../testing/docker/engine';
import {
  ContainerPlan,
  StackPlan,
  createContainer,
  deleteContainer,
  planStack,
  replacementOf,
} from '../../testing/docker/translator';
import { DrillContext } from '../drills';
import { TimingProfile, deployedProfile } from '../../testing/timing-profile';

/**
 * The values of the stack's Terraform variables here: of the right shapes, never real. The
 * PostgreSQL password holds a space, `$` and quotes, which must reach the exporter as they are.
 */
export const TEST_VARIABLES = {
  telegram_bot_token: '123456:docker-e2e-not-a-real-token',
  telegram_alert_chat_id: '-1001',
  grafana_password: 'docker-e2e-not-a-real-password',
  postgres_password: 'pg pass $word "quoted"',
} as const;

/** What a render may change, on top of the deployed configuration: settings, and the rule groups. */
export interface Render {
  /** Settings as environment variables (`ALERTMANAGER_EXTERNAL_URL`, ...). @default none */
  env?: NodeJS.ProcessEnv;
  /** @default the project's */
  ruleGroups?: readonly RuleGroup[];
}

/** A container of the plan, created, and how long the provider's create (with `wait`) took. */
export interface Created {
  plan: ContainerPlan;
  tookMs: number;
}

export class Deployment implements DrillContext {
  /** Without TELEGRAM_SEPARATE_CHATS every severity goes to the alert chat. */
  readonly secrets = {
    telegramChatIds: Object.fromEntries(
      SEVERITIES.map((severity) => [severity, TEST_VARIABLES.telegram_alert_chat_id]),
    ) as Record<Severity, string>,
  };
  readonly profile: TimingProfile;
  /** The containers running, by name. */
  readonly created = new Map<string, Created>();

  private constructor(
    private readonly engine: DockerEngine,
    readonly config: MonitoringConfig,
    public plan: StackPlan,
    /** The environment of the latest render: what `npm run backup` and the other tools read on this host. */
    public env: NodeJS.ProcessEnv,
  ) {
    this.profile = deployedProfile(config);
  }

  /**
   * The environment `cdktf synth` would run with on the Docker host: the engine's socket (for the
   * provider and for Prometheus' discovery, with its group), the application's own celery-exporter
   * (the compose file's, here a stand-in), and the network found from `stock-tracker-api`.
   */
  private static environment(engine: DockerEngine, render: Render): NodeJS.ProcessEnv {
    return {
      DOCKER_HOST: engine.api.host,
      DOCKER_SOCKET: engine.api.socketPath,
      DOCKER_GROUP_ID: String(engine.socketGroupId),
      CELERY_EXPORTER_TARGET: 'celery-exporter:9808',
      // The backup drill takes Prometheus' TSDB snapshot through it; the port is published on loopback.
      PROMETHEUS_ADMIN_API: 'true',
      CHECKPOINT_DISABLE: '1',
      ...render.env,
    };
  }

  /** Synthesizes `render` in-process and plans it for the engine (Terraform evaluates the expressions). */
  private static async planned(
    engine: DockerEngine,
    render: Render,
  ): Promise<{ config: MonitoringConfig; plan: StackPlan; env: NodeJS.ProcessEnv }> {
    const env = Deployment.environment(engine, render);
    const config = await withApplicationNetwork(loadMonitoringConfig(env));
    const { json } = await synthFromEnvironment(env, {
      ruleGroups: render.ruleGroups,
      // The one seam replaced: Alertmanager posts to the fake Bot API, by its name, instead of api.telegram.org.
      alertmanagerFiles: (alerting, secrets) =>
        renderAlertmanagerFiles(alerting, secrets, { telegramApiUrl: Application.telegramApiUrl }),
    });
    return { config, plan: await planStack(engine.api, json, TEST_VARIABLES), env };
  }

  /** Synthesizes and plans the stack; nothing is created yet. */
  static async synthesize(engine: DockerEngine, render: Render = {}): Promise<Deployment> {
    const { config, plan, env } = await Deployment.planned(engine, render);
    return new Deployment(engine, config, plan, env);
  }

  /** `terraform apply` of the plan: the volumes, then every container whose image is here, side by side. */
  async apply(): Promise<void> {
    for (const volume of Object.values(this.plan.volumes))
      await this.engine.api.createVolume(volume.name, volume.labels);
    const failures: string[] = [];
    await Promise.all(
      this.plan.containers.map((plan) =>
        this.create(plan).catch((error: Error) => {
          failures.push(error.message);
        }),
      ),
    );
    if (failures.length > 0) throw new Error(failures.join('\n'));
  }

  private async create(plan: ContainerPlan): Promise<void> {
    const startedAt = Date.now();
    await createContainer(this.engine.api, plan);
    this.created.set(plan.name, { plan, tookMs: Date.now() - startedAt });
  }

  /**
   * Renders again, and replaces every container the new render changes as Terraform does with a
   * force-new change: the old one destroyed (stopped with its grace, removed), then the new one
   * created; containers side by side. Resolves to what was replaced and why; throws on a change the
   * provider would make in place, which the harness does not do.
   */
  async rerender(render: Render): Promise<{ name: string; attributes: string[] }[]> {
    const { plan, env } = await Deployment.planned(this.engine, render);
    const changes = plan.containers.flatMap((after) => {
      const before = this.created.get(after.name)?.plan;
      if (!before) throw new Error(`${after.name} is new in the render: not a replacement`);
      const { replace, inPlace } = replacementOf(before, after);
      if (inPlace.length > 0)
        throw new Error(
          `${after.name}: ${inPlace.join(', ')} would be updated in place, which the harness does not do`,
        );
      return replace.length > 0 ? [{ before, after, attributes: replace }] : [];
    });
    await Promise.all(
      changes.map(async ({ before, after }) => {
        await deleteContainer(this.engine.api, before);
        this.created.delete(before.name);
        await this.create(after);
      }),
    );
    this.plan = plan;
    this.env = env;
    return changes.map(({ after, attributes }) => ({ name: after.name, attributes }));
  }

  /**
   * The host of `components` died and was set up again: their containers destroyed with their data
   * volumes (`docker rm`, `docker volume rm`), then deployed again as `cdktf deploy` would, on
   * fresh, empty volumes.
   */
  async redeployOnFreshVolumes(components: readonly ComponentName[]): Promise<void> {
    await Promise.all(
      components.map(async (component) => {
        const name = this.containerName(component);
        const created = this.created.get(name);
        if (!created) throw new Error(`${name} is not running here`);
        const volume = Object.values(this.plan.volumes).find((candidate) => candidate.name === dataVolumeName(name));
        if (!volume) throw new Error(`the plan has no volume ${dataVolumeName(name)}`);
        await deleteContainer(this.engine.api, created.plan);
        this.created.delete(name);
        await this.engine.api.removeVolume(volume.name);
        await this.engine.api.createVolume(volume.name, volume.labels);
        await this.create(created.plan);
      }),
    );
  }

  /** The URL of an output (`prometheus_url`, ...), as Terraform evaluated it. */
  output(name: string): string {
    const value = this.plan.outputs[name];
    if (typeof value !== 'string') throw new Error(`output ${name} is ${JSON.stringify(value)}`);
    return value;
  }

  url(component: 'prometheus' | 'alertmanager'): string {
    return this.output(`${component}_url`);
  }

  /** The name of a component's container. */
  containerName(component: ComponentName): string {
    return containerName(this.config, component);
  }

  /** The component a container of the stack runs, by its name. */
  componentOf(name: string): ComponentName | undefined {
    return COMPONENTS.find((component) => containerName(this.config, component) === name);
  }

  /** The scrape jobs of components whose containers do not run here. */
  jobsNotRun(): string[] {
    return this.plan.notRun.flatMap(({ name }) => {
      const component = this.componentOf(name);
      return component ? [JOB[COMPONENT_DESCRIPTORS[component].job]] : [];
    });
  }
}
