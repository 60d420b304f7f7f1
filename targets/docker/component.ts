/** What every component construct is given, and how its descriptor maps onto a `MonitoredContainer`. */
import { COMPONENT_DESCRIPTORS, ComponentName } from '../../core/components';
import { ComponentSettings } from '../../config/monitoring-config';
import { ITerraformDependable } from 'cdktf';
import { MonitoredContainerProps } from './monitored-container';

export interface ComponentContainerProps {
  /** Container name; also its DNS name on the network. */
  readonly name: string;
  /** Name of the application's Docker network to join. */
  readonly network: string;
  /** Image, port and memory limit: the component's `config.components` entry (its descriptor's by default). */
  readonly settings: ComponentSettings;
  /**
   * Host address the port is published on.
   * @default '127.0.0.1' (most components have no authentication)
   */
  readonly bindAddress?: string;
  /**
   * What the container is planned after (`depends_on`): the stack's secret checks, so a malformed
   * secret stops the plan before any container.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The `MonitoredContainer` props every component shares: its settings and its descriptor's healthcheck. */
export type ComponentBase = Pick<
  MonitoredContainerProps,
  'name' | 'network' | 'image' | 'port' | 'memoryLimitMb' | 'bindAddress' | 'healthcheck' | 'dependsOn'
>;

export function componentBase(component: ComponentName, props: ComponentContainerProps): ComponentBase {
  return {
    name: props.name,
    network: props.network,
    bindAddress: props.bindAddress,
    image: props.settings.image,
    port: props.settings.port,
    memoryLimitMb: props.settings.memoryLimitMb,
    healthcheck: COMPONENT_DESCRIPTORS[component].healthcheck,
    dependsOn: props.dependsOn,
  };
}

/**
 * `<listen flag>=:<port>`: the component listens on every address of its container. Throws for a
 * component whose descriptor names no listen flag.
 */
export function listenArgument(component: ComponentName, port: number): string {
  return `${listenFlag(component)}=:${port}`;
}

/** The component's listen flag; throws for a component whose descriptor names none. */
export function listenFlag(component: ComponentName): string {
  const flag = COMPONENT_DESCRIPTORS[component].listenFlag;
  if (flag === undefined) throw new Error(`${component}: its descriptor (core/components.ts) names no listenFlag`);
  return flag;
}
