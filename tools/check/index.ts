/**
 * The checks of `npm run check`, as a typed list: the CLI runs them against the deployed stack,
 * the tests against the real Prometheus and Alertmanager on loopback.
 */
import { Severity } from '../../core/severity';
import { alertmanagerChecks, telegramTestCheck } from './alertmanager';
import { CHECK_COMPONENTS, Check, CheckComponent } from './check';
import { apiChecks, endpointChecks } from './endpoints';
import { contractChecks } from './contracts';
import { grafanaChecks } from './grafana';
import { HttpClient } from '../../clients/http';
import { DEFAULT_TIMEOUT_MS } from '../cli';
import { prometheusChecks } from './prometheus';
import { CheckTargets } from './targets';

export * from './check';
export { HttpClient } from '../../clients/http';
export { HEALTH_ENDPOINTS } from './endpoints';
export { TEST_ALERT_NAME } from './alertmanager';
export * from './targets';

export interface CheckOptions {
  /** Time limit of each HTTP request, in ms. Default 5000. */
  timeoutMs?: number;
  /** Also send a test alert of this severity through Alertmanager to Telegram. */
  testTelegram?: Severity;
  /** Components not checked (for example Grafana on another host). */
  skip?: readonly CheckComponent[];
}

export { DEFAULT_TIMEOUT_MS };

export function buildChecks(targets: CheckTargets, options: CheckOptions = {}): Check[] {
  const http = new HttpClient(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const endpoints = endpointChecks(targets, http);
  const answering = (component: CheckComponent) => endpoints.find((check) => check.component === component);
  /** The component's endpoint check must pass before the checks of its API run. */
  const behind = (gate: CheckComponent, checks: Check[]) =>
    checks.map((check) => ({ ...check, requires: answering(gate) }));
  const checks = [
    ...endpoints,
    ...apiChecks(targets, http),
    ...behind('prometheus', prometheusChecks(targets, http)),
    ...behind('prometheus', contractChecks(targets, http)),
    ...behind('alertmanager', alertmanagerChecks(targets, http)),
    ...behind('grafana', grafanaChecks(targets, http)),
    ...(options.testTelegram ? behind('alertmanager', [telegramTestCheck(targets, http, options.testTelegram)]) : []),
  ];
  const skipped = new Set(options.skip ?? []);
  const order = (check: Check) => CHECK_COMPONENTS.indexOf(check.component);
  // Array.prototype.sort is stable: within a component, the endpoint check stays first.
  const wanted = (check: Check) => !skipped.has(check.component) && !(check.about && skipped.has(check.about));
  return checks.filter(wanted).sort((a, b) => order(a) - order(b));
}
