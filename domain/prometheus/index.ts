/** Public face of prometheus/: the typed `prometheus.yml`, its rendering, and the exporters' connection strings. */
export * from './model';
export * from './render';
export * from './exporters';
