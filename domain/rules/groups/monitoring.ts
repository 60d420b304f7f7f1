/**
 * The monitoring watching itself: the Watchdog heartbeat, scrape targets down, Prometheus' rule
 * evaluation, configuration and storage, Alertmanager's configuration and deliveries.
 */
import { Duration } from '../../../core/duration';
import { METRICS } from '../../metrics';
import { THRESHOLDS, formatLevel, windowOf } from '../../metrics/thresholds';
import { clampMax, eq, gt, increase, or, rate, ratio, select, sumBy, vector } from '../../metrics/promql';
import { DISCOVERY_WINDOW, level } from '../conditions';
import { $label, $value, alert, ruleGroup, t } from '../model';

const { scrape, prometheus, alertmanager } = METRICS;

const Watchdog = alert({
  name: 'Watchdog',
  expr: vector(1),
  for: Duration.seconds(0),
  severity: 'none',
  panel: { dashboard: 'infrastructure', title: 'Alertmanager notification failures' },
  summary: t`Alerting pipeline heartbeat`,
  description: t`Always firing, on purpose: while it reaches Alertmanager and the dead man's switch, Prometheus evaluates rules and can deliver alerts. Its absence is the alarm.`,
});

const TargetDown = alert({
  name: 'TargetDown',
  expr: eq(select(scrape.up), 0),
  for: Duration.minutes(5),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Scrape targets up' },
  summary: t`Scrape target ${$label('instance')} of job ${$label('job')} is down`,
  description: t`Prometheus has failed to scrape ${$label('instance')} (job ${$label('job')}) for 5 minutes: its metrics, and the alerts built on them, are blind.`,
});

/**
 * A discovery that never refreshed finds no target, and one that keeps failing misses the targets
 * that come and go: its job's alerts judge targets it cannot see (`targetDown` leaves the empty job
 * to this alert). Judged as a share of refreshes, so any refresh interval is judged alike: more
 * than half of them failing for 5 minutes is a discovery that stays broken, not a refresh that
 * timed out.
 */
const ServiceDiscoveryFailing = alert({
  name: 'ServiceDiscoveryFailing',
  // Clamped at 1: Prometheus counts a failure before it observes the refresh's duration
  // (discovery/refresh/refresh.go), so a scrape between the two, extrapolated over a window of a few
  // scrapes, can show more failures than refreshes.
  expr: gt(
    clampMax(
      ratio(
        sumBy(['job', 'instance', 'mechanism'], increase(prometheus.serviceDiscoveryRefreshFailures, DISCOVERY_WINDOW)),
        sumBy(['job', 'instance', 'mechanism'], increase(prometheus.serviceDiscoveryRefreshes, DISCOVERY_WINDOW)),
      ),
      1,
    ),
    0.5,
  ),
  for: Duration.minutes(5),
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'Service discovery refresh failures' },
  summary: t`Prometheus' ${$label('mechanism')} discovery fails on ${$label('instance')}`,
  description: t`${$value('percent')} of the refreshes of the ${$label('mechanism')} service discovery failed in 5 minutes, for 5 minutes: the targets it should find are not scraped (APIDown does not page for an API job left empty meanwhile). Prometheus' log says why: permission denied on the socket (DOCKER_GROUP_ID), or an API version the engine refuses.`,
});

const PrometheusRuleEvaluationFailures = alert({
  name: 'PrometheusRuleEvaluationFailures',
  expr: gt(increase(prometheus.ruleEvaluationFailures, Duration.minutes(5)), 0),
  for: Duration.minutes(5),
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'Rule evaluation failures' },
  summary: t`Prometheus fails to evaluate rules of ${$label('rule_group')}`,
  description: t`${$value('number')} rule evaluations of group ${$label('rule_group')} failed on ${$label('instance')} in 5 minutes: alerts of that group may never fire.`,
});

const PrometheusConfigReloadFailed = alert({
  name: 'PrometheusConfigReloadFailed',
  expr: eq(select(prometheus.configReloadSuccessful), 0),
  for: Duration.minutes(10),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Configuration loaded' },
  summary: t`Prometheus ${$label('instance')} could not load its configuration`,
  description: t`The last configuration reload of ${$label('instance')} failed: it still runs the previous configuration, and will not start again if restarted.`,
});

const tsdbWindow = Duration.hours(3);
const PrometheusTSDBFailures = alert({
  name: 'PrometheusTSDBFailures',
  expr: or(
    or(
      gt(increase(prometheus.tsdbCompactionsFailed, tsdbWindow), 0),
      gt(increase(prometheus.tsdbHeadTruncationsFailed, tsdbWindow), 0),
    ),
    gt(increase(prometheus.tsdbReloadsFailed, tsdbWindow), 0),
    gt(increase(prometheus.tsdbWalCorruptions, tsdbWindow), 0),
  ),
  for: Duration.seconds(0),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Storage (TSDB) failures' },
  summary: t`Prometheus ${$label('instance')} storage (TSDB) reports failures`,
  description: t`Compactions, head truncations or block reloads failed, or the WAL is corrupted, on ${$label('instance')} in the last 3 hours: disk fills up or data is lost.`,
});

/**
 * Summed to these labels: Alertmanager 0.26+ adds `reason` to the failed counter only, and 0.28+
 * (flag `receiver-name-in-metrics`) `receiver_name` to both; the ratio is per integration either way.
 * A notification counts as failed once Alertmanager has retried it for its whole flush timeout
 * (the route's group_interval, at least 10 s), so every failure is a message that did not arrive.
 */
const notificationLabels = ['job', 'instance', 'integration'] as const;
const notificationWindow = windowOf(THRESHOLDS.alertmanagerNotificationFailureRatio);
/**
 * For `integration="telegram"` this alert also holds the Watchdog back (domain/alerting/inhibitions.ts),
 * so the heartbeat service raises the alarm outside Telegram. Its `for` is short because the window,
 * not the `for`, decides what fires (one failure stays in it for 15 minutes); it keeps the chain
 * from the first refused message to the heartbeat service's alarm within 20 minutes
 * (domain/alerting/dead-mans-switch.ts has the arithmetic).
 */
const AlertmanagerNotificationsFailing = alert({
  name: 'AlertmanagerNotificationsFailing',
  expr: gt(
    ratio(
      sumBy(notificationLabels, rate(alertmanager.notificationsFailed, notificationWindow)),
      sumBy(notificationLabels, rate(alertmanager.notifications, notificationWindow)),
    ),
    level(THRESHOLDS.alertmanagerNotificationFailureRatio, 'critical'),
  ),
  for: Duration.minutes(3),
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'Alertmanager notification failures' },
  summary: t`Alertmanager ${$label('instance')} fails to deliver ${$value('percent')} of ${$label('integration')} notifications`,
  description: t`More than ${formatLevel(THRESHOLDS.alertmanagerNotificationFailureRatio, 'critical')} of the notifications to ${$label('integration')} failed in the last 15 minutes: on-call is not told about alerts, and for telegram the Watchdog heartbeat is held back. Alertmanager's log says why.`,
});

const AlertmanagerConfigReloadFailed = alert({
  name: 'AlertmanagerConfigReloadFailed',
  expr: eq(select(alertmanager.configReloadSuccessful), 0),
  for: Duration.minutes(10),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Configuration loaded' },
  summary: t`Alertmanager ${$label('instance')} could not load its configuration`,
  description: t`The last configuration reload of ${$label('instance')} failed: it still routes with the previous configuration.`,
});

export const MONITORING = ruleGroup('monitoring', [], {
  Watchdog,
  TargetDown,
  ServiceDiscoveryFailing,
  PrometheusRuleEvaluationFailures,
  PrometheusConfigReloadFailed,
  PrometheusTSDBFailures,
  AlertmanagerNotificationsFailing,
  AlertmanagerConfigReloadFailed,
});
