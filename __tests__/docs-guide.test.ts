/**
 * docs/MONITORING_GUIDE.md: current with the code it is generated from, a component table that
 * says what DEFAULT_CONFIG says, 20+ PromQL examples built from the catalog, and the sections the
 * issue asks for. (The examples are run against the real Prometheus in check-loopback.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { COMPONENTS } from '../core/components';
import { DEFAULT_CONFIG } from '../config/monitoring-config';
import { allMetrics, allRecordings } from '../domain/metrics';
import { COMPONENT_LABELS, HEALTH_ENDPOINTS } from '../tools/check';
import { EXAMPLE_SECTIONS, PROMQL_EXAMPLES } from '../tools/guide/promql-examples';
import { GUIDE_PATH, renderGuide } from '../tools/guide/render-guide';

const guide = readFileSync(GUIDE_PATH, 'utf8');

test('the committed guide is current (else: npm run docs:guide)', () => {
  expect(renderGuide(guide)).toBe(guide);
});

test('rendering keeps the hand-written prose and refuses a guide without its markers', () => {
  const stale = guide.replace(
    /(<!-- BEGIN generated:components[^\n]*\n)[\s\S]*?(<!-- END generated:components -->)/,
    '$1| stale |\n$2',
  );
  expect(renderGuide(stale)).toBe(guide);
  expect(() => renderGuide('# Guide\n')).toThrow(/markers of the generated region "components" are missing/);
});

test('the components table lists every component with the port, image and health endpoint of DEFAULT_CONFIG', () => {
  const rows = guide
    .split('\n')
    .filter((line) => line.startsWith('| ') && line.includes('`stock-tracker-'))
    .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')));
  expect(rows.map((cells) => cells[1])).toEqual(COMPONENTS.map((name) => COMPONENT_LABELS[name]));
  COMPONENTS.forEach((name, i) => {
    const [, , , image, port, health] = rows[i];
    expect({ name, image, port: Number(port), health }).toEqual({
      name,
      image: DEFAULT_CONFIG.components[name].image,
      port: DEFAULT_CONFIG.components[name].port,
      health: HEALTH_ENDPOINTS[name].path,
    });
  });
});

describe('PromQL examples', () => {
  test('more than 20, every section has some, questions are unique', () => {
    expect(PROMQL_EXAMPLES.length).toBeGreaterThan(20);
    expect(EXAMPLE_SECTIONS.filter((section) => !PROMQL_EXAMPLES.some((e) => e.section === section))).toEqual([]);
    const questions = PROMQL_EXAMPLES.map((example) => example.question);
    expect(new Set(questions).size).toBe(questions.length);
  });

  test('each reads only catalog metrics and recordings, and is in the guide verbatim', () => {
    const known = new Set([...allMetrics(), ...allRecordings()].map((metric) => metric.name));
    for (const example of PROMQL_EXAMPLES) {
      expect(example.expr.metrics.length).toBeGreaterThan(0);
      expect(example.expr.metrics.filter((metric) => !known.has(metric.name))).toEqual([]);
      expect(guide).toContain(`\`\`\`promql\n${example.expr.text}\n\`\`\``);
    }
  });
});

test('the guide has the sections the issue asks for', () => {
  const headings = guide.match(/^#{2,3} .+$/gm) ?? [];
  expect(headings).toEqual(
    expect.arrayContaining([
      '## Architecture',
      '## Components and ports',
      '## Metrics',
      '## PromQL for the person on call',
      '## Best practices',
      '## Troubleshooting',
      '### A target is down',
      '### No data in a panel',
      '### Telegram is not delivering',
      '### The disk is filling',
    ]),
  );
});
