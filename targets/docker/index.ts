/** Public face of targets/docker/: one construct per component, the building block, and the stack. */
export * from './monitored-container';
export * from './component';
export * from './prometheus-container';
export * from './alertmanager-container';
export * from './grafana-container';
export * from './exporter-containers';
export * from './grafana-provisioning';
export * from '../shared/secret-variables';
export * from '../shared/state-backend';
export * from './monitoring-stack';
