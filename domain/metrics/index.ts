/**
 * Public face of metrics/: the catalog of every metric a rule or panel may name, the typed PromQL
 * built over it, the recorded series derived from it and the thresholds that judge them.
 */
export * from './catalog';
export * from './promql';
export * from './thresholds';
export * from './recordings';
export * from './restarts';
export * from './slo';
