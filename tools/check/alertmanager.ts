/**
 * Alertmanager, through its v2 API: configuration loaded, the receivers of the typed routing
 * present, silences and active alerts (the Watchdog proves Prometheus reaches it), and on request
 * a test alert that goes the way a real one does, to Telegram.
 */
import { hostname } from 'node:os';
import { Severity } from '../../core/severity';
import { NOTIFICATIONS_FAILING, TELEGRAM_INTEGRATION, WATCHDOG } from '../../domain/alerting';
import { Check, failed, listed, passed } from './check';
import { AlertmanagerAlert, AlertmanagerApi, matcherText } from '../../clients/alertmanager';
import { HttpClient } from '../../clients/http';
import { CheckTargets } from './targets';

/** Name of the alert `--test-telegram` sends; it names nothing broken. */
export const TEST_ALERT_NAME = 'TelegramTest';
/** The test alert resolves by itself after this long (Telegram then gets a "resolved" message). */
const TEST_ALERT_MINUTES = 5;

export function alertmanagerChecks(targets: CheckTargets, http: HttpClient): Check[] {
  const api = new AlertmanagerApi(targets.urls.alertmanager, http);
  return [
    {
      component: 'alertmanager',
      name: 'configuration loaded',
      async run() {
        const status = await api.status();
        if (!status.config?.original?.includes('route:')) return failed('no routing in the loaded configuration');
        return passed(
          `version ${status.versionInfo?.version ?? 'unknown'}, up since ${status.uptime}, cluster ${status.cluster.status}`,
        );
      },
    },
    {
      component: 'alertmanager',
      name: 'receivers',
      async run() {
        const present = new Set(await api.receivers());
        const missing = targets.expected.receivers.filter((name) => !present.has(name));
        return missing.length === 0 ? passed(listed([...present], 5)) : failed(`missing: ${listed(missing)}`);
      },
    },
    {
      component: 'alertmanager',
      name: 'silences',
      async run() {
        const active = (await api.silences()).filter((silence) => silence.status.state === 'active');
        // A silence is a decision someone made, not a fault: listed so none is forgotten.
        if (active.length === 0) return passed('none active');
        return passed(
          `${active.length} active: ${listed(
            active.map((s) => `{${s.matchers.map(matcherText).join(', ')}} until ${s.endsAt} by ${s.createdBy}`),
            2,
          )}`,
        );
      },
    },
    {
      component: 'alertmanager',
      name: 'active alerts',
      async run() {
        const alerts = await api.alerts();
        const watchdogs = alerts.filter((alert) => alert.labels.alertname === WATCHDOG);
        const others = alerts.filter((alert) => alert.labels.alertname !== WATCHDOG);
        const suppressed = others.filter((alert) => alert.status.state === 'suppressed').length;
        const text = `${others.length} besides the ${WATCHDOG}${others.length > 0 ? ` (${suppressed} silenced or inhibited): ${listed([...new Set(others.map((a) => a.labels.alertname))])}` : ''}`;
        if (watchdogs.length === 0) return failed(`no ${WATCHDOG}: Prometheus' alerts do not arrive here; ${text}`);
        const sent = watchdogs.some((alert) => alert.status.state !== 'suppressed');
        const unheard = targets.expected.heartbeat
          ? ''
          : ' (no WATCHDOG_HEARTBEAT_URL: a Telegram that stops taking messages goes unheard)';
        if (sent) return passed(`${WATCHDOG} received (Prometheus reaches Alertmanager)${unheard}; ${text}`);
        return failed(`${WATCHDOG} received but ${whyHeldBack(watchdogs[0], others)}: no heartbeat is sent; ${text}`);
      },
    },
  ];
}

/** Why the Watchdog is not sent: Telegram refusing Alertmanager's messages (by design), or a silence or inhibition. */
function whyHeldBack(watchdog: AlertmanagerAlert, others: AlertmanagerAlert[]): string {
  if (watchdog.status.silencedBy.length > 0) return 'silenced';
  const telegramFailing = others.some(
    (alert) => alert.labels.alertname === NOTIFICATIONS_FAILING && alert.labels.integration === TELEGRAM_INTEGRATION,
  );
  return telegramFailing
    ? `held back by ${NOTIFICATIONS_FAILING}: Telegram refuses Alertmanager's messages (its runbook says what to change)`
    : 'inhibited';
}

/**
 * Posts a test alert of `severity` to Alertmanager, as Prometheus would, and reports whether it was
 * accepted and which receiver it routes to. It ends by itself after a few minutes.
 */
export function telegramTestCheck(targets: CheckTargets, http: HttpClient, severity: Severity): Check {
  return {
    component: 'telegram',
    name: `test alert (${severity}) accepted`,
    async run() {
      const now = Date.now();
      const labels = { alertname: TEST_ALERT_NAME, severity, instance: hostname(), test_id: String(now) };
      const api = new AlertmanagerApi(targets.urls.alertmanager, http);
      await api.post([
        {
          labels,
          annotations: {
            summary: `Test alert from npm run check on ${labels.instance}`,
            description: `If you read this, ${severity} alerts reach this chat. It resolves by itself in ${TEST_ALERT_MINUTES} minutes.`,
          },
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + TEST_ALERT_MINUTES * 60_000).toISOString(),
        },
      ]);
      const [stored] = await api.alerts(`test_id="${labels.test_id}"`);
      if (!stored) return failed('Alertmanager answered 200 but does not list the alert');
      const receivers = stored.receivers.map((receiver) => receiver.name);
      if (stored.status.state === 'suppressed')
        return failed(`accepted, but silenced or inhibited: it will not be sent (routed to ${listed(receivers)})`);
      const wait = targets.expected.groupWait[severity];
      const heldBy = targets.expected.heldBy[severity];
      if (heldBy.length > 0)
        return passed(
          `accepted and routed to ${listed(receivers)}, but held by ${listed(heldBy)}: the message follows when that ends (critical is never held by quiet hours: --severity critical)`,
        );
      return passed(`accepted and routed to ${listed(receivers)}: the message follows after the group wait (${wait})`);
    },
  };
}
