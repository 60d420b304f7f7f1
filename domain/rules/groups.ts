/**
 * The rule groups, one file each (`rules/<group>.yml`). Each alert names its group; a recording
 * sits in the group of the alerts that read it, first: rules of a group run in order, so those
 * alerts see this evaluation's value.
 */
import * as seedAlerts from './alerts';
import { BLIND_SPOT_ALERTS } from './blind-spots';
import { AlertRule, AlertSeverity, RULE_GROUP_NAMES, RuleGroup, RuleGroupName } from './model';
import { RECORDINGS, Recording } from '../metrics/recordings';

const RECORDINGS_BY_GROUP: Record<RuleGroupName, Recording[]> = {
  'stock-tracker-api': [
    RECORDINGS.httpRequestRate,
    RECORDINGS.httpRequestRateByStatus,
    RECORDINGS.httpErrorRatio,
    RECORDINGS.httpLatencyP50,
    RECORDINGS.httpLatencyP95,
    RECORDINGS.httpLatencyP99,
    RECORDINGS.httpSlowRatio,
    RECORDINGS.dbQueryLatencyP95,
    RECORDINGS.dbSlowRatio,
  ],
  celery: [RECORDINGS.celeryTaskRate, RECORDINGS.celeryFailureRatio],
  business: [RECORDINGS.syncRate, RECORDINGS.syncFailureRatio, RECORDINGS.syncTaskFailureRatio, RECORDINGS.syncDurationP95],
  postgresql: [RECORDINGS.postgresConnections],
  redis: [RECORDINGS.redisMemoryUtilisation],
  host: [RECORDINGS.cpuUtilisation, RECORDINGS.memoryUtilisation, RECORDINGS.filesystemUtilisation],
  containers: [],
  monitoring: [],
};

const SEVERITY_ORDER: readonly AlertSeverity[] = ['critical', 'warning', 'info', 'none'];

/** Every alert, by name: the names routing and inhibition (alerting/) may refer to. */
export const ALERTS = { ...seedAlerts, ...BLIND_SPOT_ALERTS };
export type AlertName = (typeof ALERTS)[keyof typeof ALERTS]['name'];

/** A group's alerts, most severe first, then by name (a stable file order). */
function alertsOf(group: RuleGroupName): AlertRule[] {
  return (Object.values(ALERTS) as AlertRule[])
    .filter((rule) => rule.group === group)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.name.localeCompare(b.name));
}

export const RULE_GROUPS: readonly RuleGroup[] = RULE_GROUP_NAMES.map((name) => ({ name, rules: [...RECORDINGS_BY_GROUP[name], ...alertsOf(name)] }));
