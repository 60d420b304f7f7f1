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

/** Each layer and the layers right below it: it may import those and whatever they may import. */
const BELOW = {
  core: [],
  config: ['core'],
  clients: ['core'],
  'domain/metrics': ['config'],
  'domain/prometheus': ['domain/metrics'],
  'domain/dashboards': ['domain/metrics'],
  'domain/rules': ['domain/dashboards'],
  'domain/alerting': ['domain/rules'],
  'targets/shared': ['domain/prometheus', 'domain/alerting'],
  'targets/docker': ['targets/shared'],
  'targets/kubernetes': ['targets/shared'],
  main: ['targets/docker', 'targets/kubernetes'],
  tools: ['main', 'clients'],
  testing: ['tools'],
  e2e: ['testing'],
} as const satisfies Record<string, readonly string[]>;
type Layer = keyof typeof BELOW;

/** Every layer a layer may import (itself excluded). */
function allowedBelow(layer: Layer): Set<Layer> {
  const allowed = new Set<Layer>();
  const visit = (next: Layer) => {
    for (const lower of BELOW[next]) {
      if (allowed.has(lower)) continue;
      allowed.add(lower);
      visit(lower);
    }
  };
  visit(layer);
  return allowed;
}
const LAYERS = Object.fromEntries(
  Object.keys(BELOW).map((layer) => [layer, [...allowedBelow(layer as Layer)]]),
) as Record<Layer, Layer[]>;

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

/**
 * Every module a file names: import and re-export declarations, `import()` expressions and types,
 * `require()` and `import x = require()`.
 */
function specifiers(text: string): string[] {
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g,
    /(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
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

/** Per file (relative to the root): the project files it imports, and the packages. */
type ImportGraph = Map<string, { project: string[]; packages: string[] }>;

const files = sourceFiles(ROOT).map((file) => relative(ROOT, file));
const imports: ImportGraph = new Map(
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

/** Import edges that leave the allowed layers (the generated provider bindings are the targets' alone). */
function forbiddenEdges(graph: ImportGraph): Edge[] {
  return [...graph].flatMap(([from, { project, packages }]) => {
    const layer = layerOf(from);
    if (!layer) return [];
    const allowed: readonly string[] = [layer, ...LAYERS[layer]];
    const wrongWay = project.filter((to) => {
      if (to.startsWith('.gen/')) return !layer.startsWith('targets/');
      const target = layerOf(to);
      return target === undefined || !allowed.includes(target);
    });
    const engine = ENGINE_FREE.includes(layer) ? packages.filter((pkg) => ENGINE.test(pkg)) : [];
    return [...wrongWay, ...engine].map((to) => ({ from, to }));
  });
}

/** The import cycles a depth-first walk meets, each as `a -> b -> ... -> a` (one tangle may show as several). */
function importCycles(graph: ImportGraph): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file)?.project ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('architecture', () => {
  test('every source file lives in a layer', () => {
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  test('imports go one way: down the layers, and the domain and below import nothing of cdktf', () => {
    expect(forbiddenEdges(imports).map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  test('no import cycle', () => {
    expect(importCycles(imports)).toEqual([]);
  });

  test('the checks see a forbidden edge and a cycle when there is one', () => {
    const graph: ImportGraph = new Map([
      ['config/a.ts', { project: ['domain/rules/b.ts'], packages: [] }],
      ['domain/rules/b.ts', { project: ['domain/rules/c.ts'], packages: ['cdktf'] }],
      ['domain/rules/c.ts', { project: ['domain/rules/b.ts', 'domain/metrics/d.ts'], packages: [] }],
      ['testing/e.ts', { project: ['e2e/f.ts', '.gen/providers/grafana'], packages: ['cdktf'] }],
      ['targets/docker/g.ts', { project: ['.gen/providers/grafana', 'domain/rules/b.ts'], packages: ['cdktf'] }],
    ]);
    expect(forbiddenEdges(graph).map(({ from, to }) => `${from} -> ${to}`)).toEqual([
      'config/a.ts -> domain/rules/b.ts',
      'domain/rules/b.ts -> cdktf',
      'testing/e.ts -> e2e/f.ts',
      'testing/e.ts -> .gen/providers/grafana',
    ]);
    expect(importCycles(graph)).toEqual(['domain/rules/b.ts -> domain/rules/c.ts -> domain/rules/b.ts']);
    expect(layerOf('domain/rules/groups/celery.ts')).toBe('domain/rules');
    expect(layerOf('main.ts')).toBe('main');
    expect(
      specifiers(
        "import { a } from './x';\nexport * from '../y';\nimport 'z';\nimport type { T } from \"./t\";\n" +
          "const lazy = () => import('../lazy');\ntype C = import('constructs').Construct;\nimport cdktf = require('cdktf');",
      ).sort(),
    ).toEqual(['../lazy', '../y', './t', './x', 'cdktf', 'constructs', 'z']);
  });
});
