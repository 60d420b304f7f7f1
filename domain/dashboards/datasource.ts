import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** Uid of the Prometheus data source every panel queries (the targets provision it under this uid). */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

/** How panels, queries and variables refer to that data source. */
export const PROMETHEUS_DATASOURCE: dashboard.DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID };
