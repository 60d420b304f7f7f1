/**
 * The kube-prometheus-stack Helm release: the Prometheus Operator and its CRDs, Prometheus,
 * Alertmanager, Grafana, node-exporter and kube-state-metrics, configured by typed values.
 */
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { KUBE_PROMETHEUS_STACK_REPOSITORY } from '../../config/kubernetes-settings';
import { KUBE_PROMETHEUS_STACK_CHART, KubePrometheusStackValues, renderChartValues } from './chart-values';

export interface KubePrometheusStackReleaseProps {
  readonly releaseName: string;
  readonly namespace: string;
  /** Exact chart version. */
  readonly chartVersion: string;
  readonly values: KubePrometheusStackValues;
  /** Secrets and ConfigMaps the values name: they exist before the pods that mount them. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Seconds to wait for the release to become ready.
   * @default 600: a first install pulls every image
   */
  readonly timeoutSeconds?: number;
}

export class KubePrometheusStackRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: KubePrometheusStackReleaseProps) {
    super(scope, id);
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      namespace: props.namespace,
      repository: KUBE_PROMETHEUS_STACK_REPOSITORY,
      chart: KUBE_PROMETHEUS_STACK_CHART,
      version: props.chartVersion,
      values: [renderChartValues(props.values)],
      // A failed install or upgrade is rolled back instead of leaving half a monitoring stack.
      atomic: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      dependsOn: props.dependsOn,
    });
    // A stable address for `terraform apply -target=helm_release.kube-prometheus-stack`, the first step on a cluster without the CRDs.
    this.release.overrideLogicalId(KUBE_PROMETHEUS_STACK_CHART);
  }
}
