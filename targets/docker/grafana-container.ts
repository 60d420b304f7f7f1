import { Construct } from 'constructs';
import { ComponentContainerProps, componentBase } from './component';
import { MonitoredContainer, STATEFUL_STOP_GRACE_SECONDS } from './monitored-container';

/** grafana.ini as sections of settings; delivered as `GF_<SECTION>_<KEY>` variables, Grafana's container convention. */
export type GrafanaSettingsIni = Record<string, Record<string, string | number | boolean>>;

export interface GrafanaContainerProps extends ComponentContainerProps {
  /**
   * @default `admin`
   */
  readonly adminUser?: string;
  /** Admin password: a Terraform expression such as `${var.grafana_password}`, never a literal. */
  readonly adminPassword: string;
  /**
   * Settings on top of the hardened defaults below.
   * @default none: the hardened defaults alone
   */
  readonly grafanaIni?: GrafanaSettingsIni;
  /**
   * Seconds a deploy waits for Grafana to become healthy (first start runs migrations).
   * @default 180
   */
  readonly waitTimeoutSeconds?: number;
}

/** Sign-up, anonymous access, telemetry and update checks off: an internal monitoring Grafana. */
const HARDENED: GrafanaSettingsIni = {
  users: { allow_sign_up: false },
  'auth.anonymous': { enabled: false },
  analytics: { reporting_enabled: false, check_for_updates: false },
  security: { disable_gravatar: true },
};

export function grafanaEnv(ini: GrafanaSettingsIni): string[] {
  const name = (section: string, key: string) => `GF_${section}_${key}`.replace(/[.-]/g, '_').toUpperCase();
  return Object.entries(ini).flatMap(([section, keys]) =>
    Object.entries(keys).map(([key, value]) => `${name(section, key)}=${value}`),
  );
}

/**
 * Grafana with its database on a protected volume. A deploy waits until it is healthy, so the
 * Grafana provider's resources (which depend on this container) never race its first start.
 */
export class GrafanaContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: GrafanaContainerProps) {
    const base = componentBase('grafana', props);
    const ini: GrafanaSettingsIni = {
      ...HARDENED,
      ...props.grafanaIni,
      server: { http_port: base.port, ...props.grafanaIni?.server },
      // Grafana applies these only when it creates its database (first start).
      security: { ...HARDENED.security, admin_user: props.adminUser ?? 'admin', admin_password: props.adminPassword },
    };
    super(scope, id, {
      ...base,
      env: grafanaEnv(ini),
      dataVolume: { containerPath: '/var/lib/grafana' },
      // Its SQLite database on the volume: a clean close, not a kill in the middle of a write.
      stopGraceSeconds: STATEFUL_STOP_GRACE_SECONDS,
      waitTimeoutSeconds: props.waitTimeoutSeconds ?? 180,
    });
  }
}
