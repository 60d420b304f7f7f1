/**
 * The Kubernetes target as `cdktf synth` renders it with MONITORING_TARGET=kubernetes and what
 * rules/, alerting/ and dashboards/ render today: the same rule groups as the Docker target, every
 * object valid for the Kubernetes API and the Prometheus Operator's CRDs, the rules accepted by the
 * real promtool, the Alertmanager Secret and template ConfigMap by the real amtool, and no secret
 * in the output. One synth.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadMonitoringConfig } from '../config/load';
import { RULE_GROUPS, renderRuleFiles } from '../domain/rules';
import { INHIBITIONS } from '../domain/alerting';
import { renderDashboards } from '../domain/dashboards';
import { JOB } from '../core/components';
import { OPERATOR_CONFIG_KEY, PrometheusRule, ServiceMonitor } from '../targets/kubernetes';
import { ProcessGroup } from '../testing/processes';
import { describeOnProgramSets } from '../testing/program-sets';
import { TerraformJson, resourcesOf, synthFromEnvironment } from '../testing/synth';
import {
  KubernetesObject,
  chartRenderedResources,
  chartValuesOf,
  kubernetesObjects,
  manifestsOf,
  validateAgainstSchemas,
} from './kubernetes-objects';

// Built at run time so no token-shaped string sits in the repository.
const fakeSecrets: Record<string, string> = {
  TELEGRAM_BOT_TOKEN: `${String(1e8 + 76543210).slice(0, 9)}:${'Zx7_-'.repeat(7)}`,
  TELEGRAM_ALERT_CHAT_ID: '-100' + '5551234567',
  GRAFANA_PASSWORD: 'k8s-graf' + 'ana-S3cret',
};
const env: NodeJS.ProcessEnv = {
  MONITORING_TARGET: 'kubernetes',
  ...fakeSecrets,
  ...Object.fromEntries(Object.entries(fakeSecrets).map(([name, value]) => [`TF_VAR_${name.toLowerCase()}`, value])),
};
const config = loadMonitoringConfig(env);

/** The rendered file Terraform will write, with the variables substituted by dummy values. */
function withDummySecrets(text: string): string {
  return text
    .replace('${var.telegram_bot_token}', '123456:dummy-token')
    .replaceAll('${var.telegram_alert_chat_id}', '-1001');
}

let json: TerraformJson;
let allOutput: string;
beforeAll(async () => {
  const saved = { ...process.env };
  // Also in process.env, so code that reads it directly instead of the env it is given is caught too.
  Object.assign(process.env, env);
  try {
    ({ json, allOutput } = await synthFromEnvironment(env));
  } finally {
    process.env = saved;
  }
});

describe('synth with MONITORING_TARGET=kubernetes', () => {
  test('renders the Kubernetes stack: the release and its resources, no container', () => {
    expect(resourcesOf(json, 'helm_release')).toHaveLength(1);
    expect(resourcesOf(json, 'kubernetes_manifest').length).toBeGreaterThan(0);
    expect(json.resource.docker_container).toBeUndefined();
  });

  test('no secret value from the environment appears anywhere in the output; only variable expressions', () => {
    expect(allOutput).toContain('${var.telegram_bot_token}');
    expect(allOutput).toContain('${var.grafana_password}');
    for (const value of Object.values(fakeSecrets)) expect(allOutput).not.toContain(value);
    for (const value of Object.values(fakeSecrets))
      expect(allOutput).not.toContain(Buffer.from(value).toString('base64'));
  });

  test('every PrometheusRule holds exactly the groups of one Docker rule file; together, every group once', () => {
    const dockerFiles = renderRuleFiles(RULE_GROUPS);
    const rules = manifestsOf<PrometheusRule>(json, 'PrometheusRule');
    expect(rules).toHaveLength(dockerFiles.length);
    for (const file of dockerFiles) {
      const { groups } = parse(file.content) as { groups: { name: string }[] };
      const holding = rules.filter((rule) =>
        rule.spec.groups.some((group) => groups.some((g) => g.name === group.name)),
      );
      expect(holding).toHaveLength(1);
      expect(holding[0].spec.groups).toEqual(groups);
    }
    expect(rules.flatMap((rule) => rule.spec.groups.map((group) => group.name)).sort()).toEqual(
      RULE_GROUPS.map((group) => group.name).sort(),
    );
  });

  test('every job a rule selects by name is scraped under that job label by a monitor of this stack', () => {
    const monitors = manifestsOf<ServiceMonitor>(json, 'ServiceMonitor');
    const scrapedJobs = monitors
      .flatMap((m) => m.spec.endpoints.flatMap((e) => e.relabelings))
      .filter((r) => r.targetLabel === 'job')
      .map((r) => r.replacement);
    const named = new Set(
      renderRuleFiles(RULE_GROUPS).flatMap((file) => [...file.content.matchAll(/\bjob="([^"]+)"/g)].map((m) => m[1])),
    );
    expect(named.size).toBeGreaterThan(0);
    for (const job of named) expect(scrapedJobs).toContain(job);
    expect(scrapedJobs).toEqual(expect.arrayContaining([JOB.api, JOB.celery]));
  });

  test('one sidecar ConfigMap per rendered dashboard, with its JSON', () => {
    const dashboards = renderDashboards({ alertmanager: config.alerting.externalUrl });
    const configMaps = resourcesOf(json, 'kubernetes_config_map_v1').filter(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    );
    expect(configMaps.flatMap((c) => Object.values(c.data)).sort()).toEqual(dashboards.map((d) => d.json).sort());
  });
});

describe('validity for the cluster', () => {
  let objects: KubernetesObject[];
  beforeAll(() => {
    objects = [...kubernetesObjects(json), ...chartRenderedResources(chartValuesOf(json), config.kubernetes.namespace)];
  });

  test('every object validates against the Kubernetes and Prometheus Operator schemas (and a broken one does not)', () => {
    const [rule] = manifestsOf<PrometheusRule>(json, 'PrometheusRule');
    const broken = {
      ...rule,
      metadata: { ...rule.metadata, name: 'broken' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', for: '5 minutes' }] }] },
    };
    const results = validateAgainstSchemas([...objects, broken]);
    const kinds = new Set(results.map((r) => r.kind));
    for (const kind of [
      'Namespace',
      'Secret',
      'ConfigMap',
      'PrometheusRule',
      'ServiceMonitor',
      'Prometheus',
      'PersistentVolumeClaim',
      'Alertmanager',
    ])
      expect(kinds).toContain(kind);
    expect(results.slice(0, -1).filter((r) => r.problems.length > 0)).toEqual([]);
    expect(results[results.length - 1]).toEqual({
      kind: 'PrometheusRule',
      name: 'broken',
      problems: [expect.stringMatching(/^\/spec\/groups\/0\/rules\/0\/for must match pattern/)],
    });
  });

  test('what the schemas leave to the API server: names, label values, data keys and sizes', () => {
    const subdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
    const labelValue = /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
    for (const object of objects) {
      expect(object.metadata.name).toMatch(subdomain);
      for (const value of Object.values(object.metadata.labels ?? {})) expect(value).toMatch(labelValue);
      const data = (object.data ?? {}) as Record<string, string>;
      for (const key of Object.keys(data)) expect(key).toMatch(/^[-._A-Za-z0-9]+$/);
      // etcd's limit for one object; a dashboard or rule set beyond it is refused.
      expect(Buffer.byteLength(JSON.stringify(object))).toBeLessThan(1024 * 1024);
    }
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

describeOnProgramSets('the real tools on what the manifests hold', ['promtool', 'amtool'], (programs) => {
  const processes = new ProcessGroup();
  let dir: string;
  beforeAll(() => {
    dir = processes.tempDir('stm-k8s-');
  });
  afterAll(() => processes.stopAll());

  test('promtool check rules accepts the rules extracted from every PrometheusRule, in one run', () => {
    const files = manifestsOf<PrometheusRule>(json, 'PrometheusRule').map((rule) => {
      const file = join(dir, `${rule.metadata.name}.yml`);
      writeFileSync(file, stringify({ groups: rule.spec.groups }));
      return file;
    });
    const result = spawnSync(programs.binary('promtool'), ['check', 'rules', ...files], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.match(/^ {2}SUCCESS: \d+ rules found$/gm)).toHaveLength(files.length);
  });

  test("amtool check-config accepts the Secret's alertmanager.yaml with the templates of the mounted ConfigMap", () => {
    const values = chartValuesOf(json).alertmanager.alertmanagerSpec;
    const secret = resourcesOf(json, 'kubernetes_secret_v1').find((s) => s.metadata.name === values.configSecret)!;
    const templates = resourcesOf(json, 'kubernetes_config_map_v1').find(
      (c) => c.metadata.name === values.volumes[0].configMap.name,
    )!;
    // The ConfigMap's files where the pod would see them, under the temporary directory.
    const mountPath = join(dir, values.volumeMounts[0].mountPath);
    mkdirSync(mountPath, { recursive: true });
    for (const [name, content] of Object.entries(templates.data as Record<string, string>))
      writeFileSync(join(mountPath, name), content);
    const alertmanagerYml = withDummySecrets(secret.data[OPERATOR_CONFIG_KEY]).replace(
      values.volumeMounts[0].mountPath,
      mountPath,
    );
    writeFileSync(join(dir, 'alertmanager.yaml'), alertmanagerYml);
    const result = spawnSync(programs.binary('amtool'), ['check-config', join(dir, 'alertmanager.yaml')], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`- ${Object.keys(templates.data).length} templates`);
    expect(result.stdout).toContain(`- ${INHIBITIONS.length} inhibit rules`);
  });
});
