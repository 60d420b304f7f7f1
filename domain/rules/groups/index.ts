/**
 * The rule groups as their files declare them, in the order Prometheus gets their files
 * (`rules/<group>.yml`), and every alert they hold by name.
 */
import { BUSINESS } from './business';
import { CELERY } from './celery';
import { CONTAINERS } from './containers';
import { HOST } from './host';
import { MONITORING } from './monitoring';
import { POSTGRESQL } from './postgresql';
import { REDIS } from './redis';
import { STOCK_TRACKER_API } from './stock-tracker-api';

export const GROUP_DEFINITIONS = [
  STOCK_TRACKER_API,
  CELERY,
  BUSINESS,
  POSTGRESQL,
  REDIS,
  HOST,
  CONTAINERS,
  MONITORING,
] as const;

/** The alerts the groups declare (the blind-spot warnings, which read them, come on top: rules/index.ts). */
export const GROUP_ALERTS = {
  ...STOCK_TRACKER_API.alerts,
  ...CELERY.alerts,
  ...BUSINESS.alerts,
  ...POSTGRESQL.alerts,
  ...REDIS.alerts,
  ...HOST.alerts,
  ...CONTAINERS.alerts,
  ...MONITORING.alerts,
};
