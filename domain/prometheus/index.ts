/** Public face of prometheus/: the scrape jobs and the rendered `prometheus.yml`. */
export * from '../../core/jobs';
export * from './model';
export * from './render';
export * from './exporters';
