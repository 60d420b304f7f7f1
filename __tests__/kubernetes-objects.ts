/**
 * Test helpers for the Kubernetes target: the objects a synthesized stack sends to the cluster,
 * the chart values it gives Helm, and their validation against the Kubernetes and Prometheus
 * Operator schemas (by a node script: the schema packages are ES modules only).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubePrometheusStackValues } from '../targets/kubernetes';
import { TerraformJson, resourcesOf } from '../testing/synth';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Replaces `${kubernetes_namespace_v1.<id>.metadata[0].name}` by that namespace's name. */
function withNamespacesResolved<T>(json: TerraformJson, value: T): T {
  const namespaces = json.resource.kubernetes_namespace_v1 ?? {};
  const text = JSON.stringify(value).replace(
    /\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}/g,
    (_, id: string) => namespaces[id].metadata.name,
  );
  return JSON.parse(text) as T;
}

/** `kubernetes_manifest` objects of one kind. */
export function manifestsOf<T = KubernetesObject>(json: TerraformJson, kind?: string): T[] {
  return resourcesOf(json, 'kubernetes_manifest')
    .map((resource) => resource.manifest as KubernetesObject)
    .filter((manifest) => kind === undefined || manifest.kind === kind) as T[];
}

/** Every object the stack applies, as the API server receives it (Secret data base64, as the provider sends it). */
export function kubernetesObjects(json: TerraformJson): KubernetesObject[] {
  const core = (type: string, kind: string, data: (r: Record<string, any>) => Record<string, unknown>) =>
    resourcesOf(json, type).map((r): KubernetesObject => ({
      apiVersion: 'v1',
      kind,
      metadata: r.metadata,
      ...data(r),
    }));
  const base64 = (data: Record<string, string>) =>
    Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return withNamespacesResolved(json, [
    ...core('kubernetes_namespace_v1', 'Namespace', () => ({})),
    ...core('kubernetes_secret_v1', 'Secret', (r) => ({ data: base64(r.data) })),
    ...core('kubernetes_config_map_v1', 'ConfigMap', (r) => ({ data: r.data })),
    ...manifestsOf(json),
  ]);
}

export function helmReleaseOf(json: TerraformJson): Record<string, any> {
  const releases = resourcesOf(json, 'helm_release');
  if (releases.length !== 1) throw new Error(`expected one helm_release, found ${releases.length}`);
  return withNamespacesResolved(json, releases[0]);
}

export function chartValuesOf(json: TerraformJson): KubePrometheusStackValues {
  const [values] = helmReleaseOf(json).values as string[];
  return parse(values) as KubePrometheusStackValues;
}

/**
 * The fields of the Prometheus and Alertmanager resources that the chart's templates copy from
 * the values this stack sets (`prometheusSpec.<field>` to `spec.<field>`), so they are checked
 * against the operator's schema too. `storageSpec` (`spec.storage`) holds a PersistentVolumeClaim
 * and is checked as one: the models package derives that embedded claim's schema from the Go
 * type as if it were a top-level object, demanding `apiVersion: monitoring.coreos.com/v1` and
 * `kind: EmbeddedPersistentVolumeClaim`, which the CRD does not.
 */
export function chartRenderedResources(values: KubePrometheusStackValues, namespace: string): KubernetesObject[] {
  const { storageSpec, ...prometheusSpec } = values.prometheus.prometheusSpec;
  const { useExistingSecret, ...alertmanagerSpec } = values.alertmanager.alertmanagerSpec;
  void useExistingSecret;
  const metadata = { name: 'from-chart-values', namespace };
  return [
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata, spec: prometheusSpec },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec: storageSpec.volumeClaimTemplate.spec },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', metadata, spec: alertmanagerSpec },
  ];
}

export interface SchemaResult {
  kind: string;
  name: string;
  problems: string[];
}

/** Validates every object in one node run. */
export function validateAgainstSchemas(objects: unknown[]): SchemaResult[] {
  const script = join(__dirname, 'fixtures', 'kubernetes', 'validate-manifests.mjs');
  const result = spawnSync(process.execPath, [script], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`validate-manifests.mjs failed (${result.status ?? result.signal}): ${result.stderr}`);
  return JSON.parse(result.stdout) as SchemaResult[];
}
