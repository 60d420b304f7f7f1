/**
 * A Docker discovery that fails, on the real Prometheus: the counters the catalog and
 * ServiceDiscoveryFailing read (`prometheus_sd_refresh_failures_total` and the refreshes,
 * `prometheus_sd_refresh_duration_seconds_count`, each `{mechanism="docker"}`) count up together,
 * the alert's condition holds and APIDown's does not for the empty `api` job, and `npm run check`
 * names the failing mechanism. The alert's timing is proven by promtool (rules-alert-cases.ts).
 */
import { PrometheusApi } from '../clients/prometheus';
import { Duration } from '../core/duration';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { METRICS } from '../domain/metrics';
import { ALERTS } from '../domain/rules';
import { LoopbackStack, loopbackBinaries } from '../testing/loopback-stack';
import { describeWithBinaries, waitFor } from '../testing/processes';
import { buildChecks, runChecks, targetsFromConfig } from '../tools/check';

describeWithBinaries('a failing Docker discovery, on the real Prometheus', loopbackBinaries(['prometheus']), () => {
  let stack: LoopbackStack;

  beforeAll(async () => {
    stack = await LoopbackStack.start({
      components: ['prometheus'],
      // A socket that does not exist: every refresh fails, as with permission denied or a refused API version.
      dockerDiscovery: {
        host: 'unix:///nonexistent/docker.sock',
        network: 'app_net',
        refreshInterval: Duration.seconds(1),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  test('the failure counter of the catalog counts up, under its catalog name and label', async () => {
    const api = new PrometheusApi(stack.url('prometheus'));
    const failures = await waitFor(
      'failed Docker discovery refreshes',
      async () => {
        const value = await api.value(`${METRICS.prometheus.serviceDiscoveryRefreshFailures.name}{mechanism="docker"}`);
        return value !== undefined && value >= 2 ? value : undefined;
      },
      20_000,
      500,
    );
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  test("every refresh fails: ServiceDiscoveryFailing's share is 1, and APIDown leaves the empty api job to it", async () => {
    const api = new PrometheusApi(stack.url('prometheus'));
    const share = await waitFor(
      "ServiceDiscoveryFailing's condition",
      async () => (await api.query(ALERTS.ServiceDiscoveryFailing.expr.text))[0],
      20_000,
      500,
    );
    expect(share.metric).toMatchObject({ job: 'prometheus', mechanism: 'docker' });
    // Failed refreshes over all refreshes, each counter under its catalog name: every refresh failed.
    expect(Number(share.value[1])).toBe(1);
    // The api job has no target (the discovery never found one): absent, but not APIDown's.
    expect(await api.query(`absent(up{job="api"})`)).toHaveLength(1);
    expect(await api.query(ALERTS.APIDown.expr.text)).toEqual([]);
  });

  test('npm run check fails its service discovery row, naming the mechanism and where to look', async () => {
    const port = Number(stack.address('prometheus').split(':')[1]);
    const targets = targetsFromConfig(parseMonitoringConfig({ components: { prometheus: { port } } }), {});
    const checks = buildChecks(targets, { timeoutMs: 3_000 }).filter((check) => check.name === 'service discovery');
    // An increase needs two samples of the counter: a scrape or two after the start.
    const result = await waitFor(
      'the service discovery check to see the failures',
      async () => (await runChecks(checks)).find((r) => !r.ok),
      20_000,
      500,
    );
    expect(result.detail).toMatch(/^docker: \d+ failed refreshes in 5 min: the targets it finds are gone/);
  });
});
