/**
 * `npm run docs:guide`: refreshes the generated parts of docs/MONITORING_GUIDE.md (components and
 * ports, metric families, alerts and runbooks, PromQL examples) from the code they describe. The
 * prose around them is written by hand; a test fails when the committed guide is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, COMPONENT_DESCRIPTORS } from '../../core/components';
import { DEFAULT_CONFIG, containerName } from '../../config/monitoring-config';
import { METRICS, Metric, MetricGroup } from '../../domain/metrics';
import { RULE_GROUPS, isAlert } from '../../domain/rules';
import { panelName } from '../../domain/dashboards';
import { COMPONENT_LABELS, HEALTH_ENDPOINTS } from '../check';
import { EXAMPLE_SECTIONS, PROMQL_EXAMPLES } from './promql-examples';

export const GUIDE_PATH = join(__dirname, '..', '..', 'docs', 'MONITORING_GUIDE.md');

/** Who exposes a group of the catalog: the component whose metrics they are, the application, or every target. */
function groupTitle(group: MetricGroup): string {
  const [first] = Object.values(METRICS[group]) as Metric[];
  if (first.source === 'stock-tracker') return 'Stock Tracker (API, Celery, business)';
  if (first.source === 'scrape') return 'every scrape target';
  const component = COMPONENTS.find((name) => COMPONENT_DESCRIPTORS[name].metricSource === first.source);
  if (component === undefined) throw new Error(`no component exposes the ${group} metrics (source ${first.source})`);
  return COMPONENT_DESCRIPTORS[component].title;
}

function componentsTable(): string {
  const rows = COMPONENTS.map((name) => {
    const { image, port } = DEFAULT_CONFIG.components[name];
    const cells = [
      COMPONENT_LABELS[name],
      `\`${containerName(DEFAULT_CONFIG, name)}\``,
      `\`${image}\``,
      port,
      `\`${HEALTH_ENDPOINTS[name].path}\``,
      COMPONENT_DESCRIPTORS[name].role,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    '| component | container | image | port | health endpoint | role |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function metricFamilies(): string {
  const rows = (Object.keys(METRICS) as MetricGroup[]).map((group) => {
    const metrics = Object.values(METRICS[group]) as Metric[];
    return `| ${groupTitle(group)} | ${metrics.length} | ${metrics.map((metric) => `\`${metric.name}\``).join(', ')} |`;
  });
  return ['| exposed by | families | names |', '| --- | --- | --- |', ...rows].join('\n');
}

function alertsTable(): string {
  const rows = RULE_GROUPS.flatMap((group) =>
    group.rules.filter(isAlert).map((rule) => {
      const holdsFor = rule.for.millis === 0 ? 'at once' : rule.for.toString();
      return `| ${group.name} | ${rule.name} | ${rule.severity} | ${holdsFor} | ${panelName(rule.panel)} | [runbook](runbooks/${rule.name}.md) |`;
    }),
  );
  return [
    '| group | alert | severity | fires after | panel (the message links it) | runbook |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function promqlExamples(): string {
  return EXAMPLE_SECTIONS.map((section) => {
    const examples = PROMQL_EXAMPLES.filter((example) => example.section === section);
    const body = examples.map(
      (example) => `**${example.question}**\n\n\`\`\`promql\n${example.expr.text}\n\`\`\`\n\n${example.reading}`,
    );
    return [`### ${section}`, ...body].join('\n\n');
  }).join('\n\n');
}

/** Generated regions, by the name in their markers. */
const REGIONS: Record<string, () => string> = {
  components: componentsTable,
  'metric-families': metricFamilies,
  alerts: alertsTable,
  'promql-examples': promqlExamples,
};

/** `current` with every generated region replaced; throws when a region's markers are missing. */
export function renderGuide(current: string): string {
  return Object.entries(REGIONS).reduce((text, [name, render]) => {
    const begin = `<!-- BEGIN generated:${name} (npm run docs:guide) -->`;
    const end = `<!-- END generated:${name} -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from)
      throw new Error(`${GUIDE_PATH}: the markers of the generated region "${name}" are missing: ${begin} ... ${end}`);
    return `${text.slice(0, from + begin.length)}\n${render()}\n${text.slice(to)}`;
  }, current);
}

if (require.main === module) {
  writeFileSync(GUIDE_PATH, renderGuide(readFileSync(GUIDE_PATH, 'utf8')));
  console.log(`wrote ${GUIDE_PATH}`);
}
