/**
 * Generates the Grafana provider bindings in `.gen/providers/grafana/` offline, from the provider
 * schema (`terraform providers schema -json` of grafana/grafana 4.45.1), with cdktf's own generator.
 * `cdktf get` would do the same but needs Terraform and the provider registry.
 *
 * Usage: npm run gen:grafana [-- path/to/schema.json]   (default: ../shared/grafana-provider/schema.json)
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateProviderBindingsFromSchema } from '@cdktf/provider-generator';

const PROVIDER_SOURCE = 'registry.terraform.io/grafana/grafana';

/** Only what the stack declares: generating all 121 resources would slow type-checking for nothing. */
export const GRAFANA_RESOURCES = ['grafana_data_source', 'grafana_folder', 'grafana_dashboard'];

async function main(): Promise<void> {
  const schemaPath = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'shared', 'grafana-provider', 'schema.json'));
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
  console.log(`generated ${GRAFANA_RESOURCES.join(', ')} into ${join(outDir, 'providers', 'grafana')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
