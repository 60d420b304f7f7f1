/**
 * The targets and names the promtool cases' input series carry, shared by the hand-written cases
 * (rules-alert-cases.ts) and the generated SLO cases (slo-alert-cases.ts).
 */

/** The API's scrape target, as `API_TARGETS` defaults it. */
export const API = { job: 'api', instance: 'api:8000' } as const;
/** The stack's own celery-exporter. */
export const CELERY = { job: 'celery', instance: 'stock-tracker-celery-exporter:9808' } as const;
/** A tenant of Stock Tracker, in the business metrics' `tenant_id`. */
export const TENANT = '7d1c3f0e-1a2b-4c5d-8e9f-000000001001';
/** The worker container, in the celery-exporter's `hostname`. */
export const WORKER_HOST = 'stock-tracker-worker';
