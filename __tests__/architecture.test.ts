/**
 * The layers, held: every import of every source file is read, and an import that goes the wrong
 * way, or closes a cycle, fails with the edge named (`from -> to`). docs/ARCHITECTURE.md draws the
 * same picture.
 *
 *   core ← config, clients ← domain (metrics ← prometheus, dashboards ← rules ← alerting)
 *        ← targets (shared ← docker, kubernetes) ← main.ts, tools/, testing/, e2e/
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..');

/** Each layer and the layers it may import (itself included). */
const LAYERS = {
  core: [],
  config: ['core'],
  clients: ['core'],
  'domain/metrics': ['core', 'config'],
  'domain/prometheus': ['core', 'config', 'domain/metrics'],
  'domain/dashboards': ['core', 'config', 'domain/metrics'],
  'domain/rules': ['core', 'config', 'domain/metrics', 'domain/dashboards'],
  'domain/alerting': ['core', 'config', 'domain/metrics', 'domain/rules'],
  'targets/shared': [
    'core',
    'config',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
  ],
  'targets/docker': [
    'core',
    'config',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
    'targets/shared',
  ],
  'targets/kubernetes': [
    'core',
    'config',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
    'targets/shared',
  ],
  main: [
    'core',
    'config',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
    'targets/shared',
    'targets/docker',
    'targets/kubernetes',
  ],
  tools: [
    'core',
    'config',
    'clients',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
    'targets/shared',
    'targets/docker',
    'targets/kubernetes',
    'main',
  ],
  testing: [
    'core',
    'config',
    'clients',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
    'targets/shared',
    'targets/docker',
    'targets/kubernetes',
    'main',
    'tools',
  ],
  e2e: [
    'core',
    'config',
    'clients',
    'domain/metrics',
    'domain/prometheus',
    'domain/dashboards',
    'domain/rules',
    'domain/alerting',
    'targets/shared',
    'targets/docker',
    'targets/kubernetes',
    'main',
    'tools',
    'testing',
  ],
} as const satisfies Record<string, readonly string[]>;
type Layer = keyof typeof LAYERS;

/** Packages a layer must not import: the domain and below stay free of the IaC engine, so another one can take over. */
const ENGINE = /^(cdktf|constructs|@cdktf\/)/;
const ENGINE_FREE: readonly Layer[] = [
  'core',
  'config',
  'clients',
  'domain/metrics',
  'domain/prometheus',
  'domain/dashboards',
  'domain/rules',
  'domain/alerting',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', '.git', '.gen', 'cdktf.out', '__tests__', 'coverage'].includes(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? sourceFiles(path)
      : path.endsWith('.ts') && !path.endsWith('.d.ts')
        ? [path]
        : [];
  });
}

/** The layer a project file (path relative to the root) belongs to. */
function layerOf(file: string): Layer | undefined {
  if (file === 'main.ts') return 'main';
  const layers = Object.keys(LAYERS).filter((layer) => file.startsWith(`${layer}/`)) as Layer[];
  return layers.sort((a, b) => b.length - a.length)[0];
}

/** Every import and re-export specifier of a file. */
function specifiers(text: string): string[] {
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    ),
  ].map((m) => m[1] ?? m[2]);
}

function resolveImport(from: string, spec: string): string {
  const base = resolve(dirname(join(ROOT, from)), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), `${base}.js`, join(base, 'index.js')]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate);
    } catch {
      // not this one
    }
  }
  return relative(ROOT, base);
}

interface Edge {
  from: string;
  to: string;
}

const files = sourceFiles(ROOT).map((file) => relative(ROOT, file));
const imports = new Map<string, { project: string[]; packages: string[] }>(
  files.map((file) => {
    const specs = specifiers(readFileSync(join(ROOT, file), 'utf8'));
    return [
      file,
      {
        project: specs.filter((s) => s.startsWith('.')).map((s) => resolveImport(file, s)),
        packages: specs.filter((s) => !s.startsWith('.')),
      },
    ];
  }),
);

/** Import edges that leave the allowed layers. */
export function forbiddenEdges(): Edge[] {
  return files.flatMap((from) => {
    const layer = layerOf(from);
    if (!layer) return [];
    const allowed: readonly string[] = [layer, ...LAYERS[layer]];
    const project = imports.get(from)!.project.filter((to) => {
      if (to.startsWith('.gen/')) return !layer.startsWith('targets/');
      const target = layerOf(to);
      return target === undefined || !allowed.includes(target);
    });
    const engine = ENGINE_FREE.includes(layer) ? imports.get(from)!.packages.filter((pkg) => ENGINE.test(pkg)) : [];
    return [...project, ...engine].map((to) => ({ from, to }));
  });
}

/** One cycle of imports per strongly connected set of files, as `a -> b -> ... -> a`. */
export function importCycles(): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of imports.get(file)?.project ?? []) {
      if (!imports.has(next)) continue;
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('architecture', () => {
  test('every source file lives in a layer', () => {
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  test('imports go one way: down the layers, and the domain and below import nothing of cdktf', () => {
    expect(forbiddenEdges().map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  test('no import cycle', () => {
    expect(importCycles()).toEqual([]);
  });

  test('the checks see a forbidden edge and a cycle when there is one', () => {
    expect(layerOf('domain/rules/alerts.ts')).toBe('domain/rules');
    expect(layerOf('main.ts')).toBe('main');
    expect(
      specifiers("import { a } from './x';\nexport * from '../y';\nimport 'z';\nimport type { T } from \"./t\";"),
    ).toEqual(['./x', '../y', 'z', './t']);
    expect(LAYERS['domain/metrics']).not.toContain('domain/rules');
  });
});
