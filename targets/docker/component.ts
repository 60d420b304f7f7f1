/** What every component construct is given, and how it maps onto a `MonitoredContainer`. */
import { ComponentName } from '../../core/components';
import { ComponentSettings, DEFAULT_CONFIG } from '../../config/monitoring-config';
import { MonitoredContainerProps } from './monitored-container';

export interface ComponentContainerProps {
  /** Container name; also its DNS name on the network. */
  name: string;
  /** Name of the application's Docker network to join. */
  network: string;
  /** Image, port and memory limit. Default: the component's entry in `DEFAULT_CONFIG.components`. */
  settings?: ComponentSettings;
  /** Host address the port is published on. Default `127.0.0.1`. */
  bindAddress?: string;
}

/** The `MonitoredContainer` props every component shares, with the component's defaults filled in. */
export type ComponentBase = Pick<MonitoredContainerProps, 'name' | 'network' | 'image' | 'port' | 'memoryLimitMb' | 'bindAddress'>;

export function componentBase(component: ComponentName, props: ComponentContainerProps): ComponentBase {
  const settings = props.settings ?? DEFAULT_CONFIG.components[component];
  return {
    name: props.name,
    network: props.network,
    bindAddress: props.bindAddress,
    image: settings.image,
    port: settings.port,
    memoryLimitMb: settings.memoryLimitMb,
  };
}
