/** Public face of targets/kubernetes/: the Kubernetes target's stack and its parts. */
export * from './chart-values';
export * from './operator-resources';
export * from './alertmanager-config';
export * from './grafana-content';
export * from './custom-resources';
export * from './kube-prometheus-stack-release';
export * from './kubernetes-monitoring-stack';
