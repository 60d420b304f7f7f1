/**
 * The configuration of the Kubernetes target: `target`, the `kubernetes` section and `remoteWrite`,
 * their defaults, the environment variables, and one clear error per bad value.
 */
import { ConfigError, ConfigProblem } from '../config/errors';
import { loadMonitoringConfig } from '../config/load';
import { DEFAULT_CONFIG, RawMonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { DEFAULT_KUBERNETES_SETTINGS } from '../config/kubernetes-settings';

function problemsOf(raw: RawMonitoringConfig): ConfigProblem[] {
  try {
    parseMonitoringConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const onKubernetes = (remoteWrite: unknown): RawMonitoringConfig => ({ target: 'kubernetes', remoteWrite });

describe('defaults and sources', () => {
  test('Docker is the default target; the Kubernetes section has working defaults; no remote write', () => {
    expect(DEFAULT_CONFIG.target).toBe('docker');
    expect(DEFAULT_CONFIG.kubernetes).toBe(DEFAULT_KUBERNETES_SETTINGS);
    expect(DEFAULT_CONFIG.kubernetes.chartVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(parseMonitoringConfig({}).remoteWrite).toBeUndefined();
    expect('remoteWrite' in parseMonitoringConfig({})).toBe(false);
  });

  test('environment variables choose the target, the cluster and the selectors', () => {
    const config = loadMonitoringConfig({
      MONITORING_TARGET: 'kubernetes',
      K8S_NAMESPACE: 'observability',
      K8S_CONTEXT: 'prod-eu',
      K8S_API_SELECTOR: 'app.kubernetes.io/name=api, app.kubernetes.io/part-of=stock-tracker',
      REMOTE_WRITE_URL: 'http://mimir-nginx.mimir.svc/api/v1/push',
      REMOTE_WRITE_TENANT: 'stock-tracker',
    });
    expect(config.target).toBe('kubernetes');
    expect(config.kubernetes).toMatchObject({ namespace: 'observability', kubeconfigContext: 'prod-eu' });
    expect(config.kubernetes.scrape.api.selector).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/part-of': 'stock-tracker',
    });
    expect(config.kubernetes.scrape.celery).toEqual(DEFAULT_KUBERNETES_SETTINGS.scrape.celery);
    expect(config.remoteWrite).toEqual({
      url: 'http://mimir-nginx.mimir.svc/api/v1/push',
      store: 'mimir',
      tenant: 'stock-tracker',
    });
  });

  test.each([
    ['http://mimir-nginx.mimir.svc/api/v1/push', 'mimir'],
    ['http://thanos-receive.thanos.svc:19291/api/v1/receive', 'thanos'],
    ['http://vminsert.vm.svc:8480/insert/0/prometheus/api/v1/write', 'victoriametrics'],
    ['https://vm.example.com/api/v1/write/', 'victoriametrics'],
  ])('the store follows from the push endpoint: %s is %s', (url, store) => {
    expect(parseMonitoringConfig(onKubernetes({ url })).remoteWrite?.store).toBe(store);
  });
});

describe('each bad value is named with its field and value', () => {
  test.each<[string, RawMonitoringConfig, string, unknown, RegExp]>([
    ['unknown target', { target: 'swarm' }, 'target', 'swarm', /is not one of docker, kubernetes/],
    [
      'namespace with capitals',
      { kubernetes: { namespace: 'Monitoring' } },
      'kubernetes.namespace',
      'Monitoring',
      /namespace name/,
    ],
    [
      'chart version range',
      { kubernetes: { chartVersion: '^81.0.0' } },
      'kubernetes.chartVersion',
      '^81.0.0',
      /exact chart version/,
    ],
    [
      'release name too long',
      { kubernetes: { releaseName: 'r'.repeat(54) } },
      'kubernetes.releaseName',
      'r'.repeat(54),
      /at most 53/,
    ],
    [
      'volume size without unit',
      { kubernetes: { prometheusVolumeSize: '50' } },
      'kubernetes.prometheusVolumeSize',
      '50',
      /such as 50Gi/,
    ],
    [
      'empty selector',
      { kubernetes: { scrape: { api: { selector: {} } } } },
      'kubernetes.scrape.api.selector',
      {},
      /at least one/,
    ],
    [
      'selector pair without =',
      { kubernetes: { scrape: { celery: { selector: 'worker' } } } },
      'kubernetes.scrape.celery.selector',
      'worker',
      /Kubernetes labels/,
    ],
    [
      'selector value with a space',
      { kubernetes: { scrape: { api: { selector: { app: 'stock tracker' } } } } },
      'kubernetes.scrape.api.selector',
      { app: 'stock tracker' },
      /Kubernetes labels/,
    ],
    [
      'port number instead of name',
      { kubernetes: { scrape: { api: { port: 8000 } } } },
      'kubernetes.scrape.api.port',
      8000,
      /port name/,
    ],
    [
      'job that is not scraped on Kubernetes',
      { kubernetes: { scrape: { grafana: {} } } },
      'kubernetes.scrape.grafana',
      undefined,
      /is not a setting/,
    ],
    [
      'remote write to a base URL',
      onKubernetes({ url: 'http://mimir.svc' }),
      'remoteWrite.url',
      'http://mimir.svc',
      /is not valid: expected an http\(s\) URL/,
    ],
    [
      'remote write to a query endpoint',
      onKubernetes({ url: 'http://mimir.svc/prometheus/api/v1/query' }),
      'remoteWrite.url',
      'http://mimir.svc/prometheus/api/v1/query',
      /path must end with \/api\/v1\/push \(Grafana Mimir\)/,
    ],
    [
      'tenant header for VictoriaMetrics',
      onKubernetes({ url: 'http://vm.svc/api/v1/write', tenant: 'a' }),
      'remoteWrite.tenant',
      'a',
      /tenant is part of the URL/,
    ],
    [
      'tenant without a URL',
      onKubernetes({ tenant: 'a' }),
      'remoteWrite.tenant',
      'a',
      /applies only with remoteWrite.url/,
    ],
    [
      'name prefix that cannot start a Kubernetes name',
      { target: 'kubernetes', namePrefix: 'Stock_Tracker' },
      'namePrefix',
      'Stock_Tracker',
      /lower-case letters, digits and -/,
    ],
    [
      'a Redis password on the Kubernetes target',
      { target: 'kubernetes', targets: { redisRequiresPassword: true } },
      'targets.redisRequiresPassword',
      true,
      /applies only when target is docker/,
    ],
    [
      'remote write on the Docker target',
      { remoteWrite: { url: 'http://mimir.svc/api/v1/push' } },
      'remoteWrite.url',
      'http://mimir.svc/api/v1/push',
      /applies only when target is kubernetes \(it is docker\)/,
    ],
  ])('%s', (_name, raw, field, value, reason) => {
    expect(problemsOf(raw)).toEqual([{ field, value, reason: expect.stringMatching(reason) }]);
  });
});
