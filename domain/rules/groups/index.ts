/**
 * The rule groups as their files declare them, in the order Prometheus gets their files
 * (`rules/<group>.yml`), and every alert they hold by name. The SLO group is generated from the
 * configured objectives; alert names do not depend on them, so routing and inhibition are written
 * against the default configuration's group.
 */
import { DEFAULT_SLO_SETTINGS, SloSettings } from '../../../config/slo-settings';
import { BUSINESS } from './business';
import { CELERY } from './celery';
import { CONTAINERS } from './containers';
import { HOST } from './host';
import { MONITORING } from './monitoring';
import { POSTGRESQL } from './postgresql';
import { REDIS } from './redis';
import { sloRuleGroup } from './slo';
import { STOCK_TRACKER_API } from './stock-tracker-api';

/** The groups of a configuration's SLOs, in file order. */
export function groupDefinitions(slo: SloSettings) {
  return [
    STOCK_TRACKER_API,
    CELERY,
    BUSINESS,
    sloRuleGroup(slo),
    POSTGRESQL,
    REDIS,
    HOST,
    CONTAINERS,
    MONITORING,
  ] as const;
}

const [, , , SLO] = groupDefinitions(DEFAULT_SLO_SETTINGS);

/** The alerts the groups declare (the blind-spot warnings, which read them, come on top: rules/index.ts). */
export const GROUP_ALERTS = {
  ...STOCK_TRACKER_API.alerts,
  ...CELERY.alerts,
  ...BUSINESS.alerts,
  ...SLO.alerts,
  ...POSTGRESQL.alerts,
  ...REDIS.alerts,
  ...HOST.alerts,
  ...CONTAINERS.alerts,
  ...MONITORING.alerts,
};
