/**
 * The `remoteWrite` section of `MonitoringConfig`: Prometheus also sends every sample to a
 * long-term store, for retention beyond one Prometheus. Which store it is follows from the URL's
 * push endpoint, so the URL and the store cannot disagree. Credentials are not here: basic auth
 * comes from a Kubernetes Secret named by `basicAuthSecret`.
 */
import { Fields } from './fields';

export const REMOTE_WRITE_STORES = ['mimir', 'thanos', 'victoriametrics'] as const;
export type RemoteWriteStore = (typeof REMOTE_WRITE_STORES)[number];

interface StoreProtocol {
  title: string;
  /** The push endpoint's path ends so. */
  pushPath: string;
  /** Header that names the tenant; without one, the tenant is part of the URL. */
  tenantHeader?: string;
}

export const REMOTE_WRITE_PROTOCOL: Record<RemoteWriteStore, StoreProtocol> = {
  mimir: { title: 'Grafana Mimir', pushPath: '/api/v1/push', tenantHeader: 'X-Scope-OrgID' },
  thanos: { title: 'Thanos Receive', pushPath: '/api/v1/receive', tenantHeader: 'THANOS-TENANT' },
  // Cluster version: /insert/<accountID>/prometheus/api/v1/write; single node: /api/v1/write.
  victoriametrics: { title: 'VictoriaMetrics', pushPath: '/api/v1/write' },
};

export interface RemoteWriteSettings {
  /** The store's push endpoint, e.g. `http://mimir-nginx.mimir.svc/api/v1/push`. */
  url: string;
  /** Follows from the URL's path. */
  store: RemoteWriteStore;
  /** Tenant sent in the store's tenant header (Mimir, Thanos). */
  tenant?: string;
  /** Secret in the monitoring namespace with `username` and `password` keys, for basic auth. */
  basicAuthSecret?: string;
}

const PUSH_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/\S*$/;
const TENANT = /^[A-Za-z0-9_.-]{1,150}$/;
const SECRET_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const OPTIONAL_KEYS = ['tenant', 'basicAuthSecret'] as const;

function storeOf(url: string): RemoteWriteStore | undefined {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  return REMOTE_WRITE_STORES.find((store) => path.endsWith(REMOTE_WRITE_PROTOCOL[store].pushPath));
}

const PUSH_PATHS = REMOTE_WRITE_STORES.map(
  (s) => `${REMOTE_WRITE_PROTOCOL[s].pushPath} (${REMOTE_WRITE_PROTOCOL[s].title})`,
).join(', ');

/** Undefined when not given (no remote write) or when the URL is bad (then a problem is recorded). */
export function parseRemoteWriteSettings(raw: unknown, fields: Fields): RemoteWriteSettings | undefined {
  if (raw === undefined) return undefined;
  const given = fields.section('remoteWrite', raw);
  fields.onlyKnownKeys('remoteWrite', given, ['url', ...OPTIONAL_KEYS]);
  if (given.url === undefined) {
    for (const key of OPTIONAL_KEYS.filter((k) => given[k] !== undefined)) {
      fields.reader.problem(`remoteWrite.${key}`, given[key], 'applies only with remoteWrite.url');
    }
    return undefined;
  }
  const url = fields.url('remoteWrite.url', given.url, '', PUSH_URL, 'an http(s) URL of a push endpoint');
  const store = url ? storeOf(url) : undefined;
  if (url && !store)
    fields.reader.problem('remoteWrite.url', url, `is not a push endpoint: its path must end with ${PUSH_PATHS}`);
  const tenant =
    given.tenant === undefined
      ? undefined
      : fields.string('remoteWrite.tenant', given.tenant, '', TENANT, 'a tenant id (letters, digits, _ . -)');
  if (store && tenant && !REMOTE_WRITE_PROTOCOL[store].tenantHeader) {
    fields.reader.problem(
      'remoteWrite.tenant',
      tenant,
      `does not apply to ${REMOTE_WRITE_PROTOCOL[store].title}: its tenant is part of the URL (/insert/<accountID>/prometheus/api/v1/write)`,
    );
  }
  const basicAuthSecret =
    given.basicAuthSecret === undefined
      ? undefined
      : fields.string('remoteWrite.basicAuthSecret', given.basicAuthSecret, '', SECRET_NAME, 'a Secret name');
  if (!store) return undefined;
  return { url, store, ...(tenant ? { tenant } : {}), ...(basicAuthSecret ? { basicAuthSecret } : {}) };
}
