/**
 * Generates the Grafana provider bindings in `.gen/providers/grafana/` offline, from the provider
 * schema (`terraform providers schema -json` of grafana/grafana 4.45.1), with cdktf's own generator.
 * `cdktf get` would do the same but needs Terraform and the provider registry.
 *
 * Usage: npm run gen:grafana -- path/to/schema.json
 *
 * The schema comes from a machine with Terraform and registry access:
 *   terraform init   # with required_providers grafana = { source = "grafana/grafana", version = "4.45.1" }
 *   terraform providers schema -json > schema.json
 * The generated bindings are committed (`.gen/`), so only a provider upgrade needs this.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateProviderBindingsFromSchema } from '@cdktf/provider-generator';
import * as ts from 'typescript';

const PROVIDER_SOURCE = 'registry.terraform.io/grafana/grafana';

/** Only what the stack declares: generating all 121 resources would slow type-checking for nothing. */
export const GRAFANA_RESOURCES = ['grafana_data_source', 'grafana_folder', 'grafana_dashboard'];

function typeScriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFilesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Ships the bindings as JavaScript plus declarations, as the prebuilt @cdktf/provider-* packages
 * do: every synth would otherwise transpile ~75 KB of generated TypeScript (about a quarter of a
 * second), and type-checking reads the short .d.ts files instead.
 */
function compileToJavaScript(dir: string): void {
  const sources = typeScriptFilesUnder(dir);
  const program = ts.createProgram(sources, {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    declaration: true,
    removeComments: false,
    skipLibCheck: true,
    strict: true,
  });
  const result = program.emit();
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, ts.createCompilerHost({})));
  for (const source of sources) rmSync(source);
}

async function main(): Promise<void> {
  const given = process.argv[2];
  if (given === undefined)
    throw new Error(
      'usage: npm run gen:grafana -- path/to/schema.json (terraform providers schema -json of grafana/grafana 4.45.1)',
    );
  const schemaPath = resolve(given);
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const grafana = schema.provider_schemas?.[PROVIDER_SOURCE];
  if (!grafana) throw new Error(`schema ${schemaPath} has no provider "${PROVIDER_SOURCE}"`);
  const missing = GRAFANA_RESOURCES.filter((name) => !grafana.resource_schemas[name]);
  if (missing.length > 0) throw new Error(`schema ${schemaPath} lacks resources: ${missing.join(', ')}`);

  const filtered = {
    format_version: schema.format_version,
    provider_schemas: {
      [PROVIDER_SOURCE]: {
        provider: grafana.provider,
        resource_schemas: Object.fromEntries(GRAFANA_RESOURCES.map((name) => [name, grafana.resource_schemas[name]])),
        data_source_schemas: {},
      },
    },
  };
  const outDir = join(__dirname, '..', '.gen');
  rmSync(join(outDir, 'providers', 'grafana'), { recursive: true, force: true });
  await generateProviderBindingsFromSchema(outDir, filtered);
  compileToJavaScript(join(outDir, 'providers', 'grafana'));
  console.log(`generated ${GRAFANA_RESOURCES.join(', ')} into ${join(outDir, 'providers', 'grafana')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
