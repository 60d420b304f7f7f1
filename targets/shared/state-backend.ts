/**
 * The stack's Terraform backend, from `config.backend`. Only locations go into the synthesized
 * JSON; credentials stay in Terraform's environment (AWS_* for S3, PG_CONN_STR for PostgreSQL).
 */
import { LocalBackend, PgBackend, S3Backend, TerraformBackend, TerraformStack } from 'cdktf';
import { BackendSettings } from '../../config/state-backend';

/**
 * Declares the backend on `stack`. The local backend without a path is left to cdktf, which keeps
 * `terraform.<stack>.tfstate` in the project directory.
 */
export function configureStateBackend(
  stack: TerraformStack,
  stackName: string,
  settings: BackendSettings,
): TerraformBackend | undefined {
  switch (settings.type) {
    case 'local':
      return settings.path === undefined ? undefined : new LocalBackend(stack, { path: settings.path });
    case 's3':
      return new S3Backend(stack, {
        bucket: settings.bucket,
        key: settings.key ?? `${stackName}/terraform.tfstate`,
        region: settings.region,
        dynamodbTable: settings.dynamodbTable,
        // The state holds the rendered secrets.
        encrypt: true,
      });
    case 'pg': {
      const backend = new PgBackend(stack, { connStr: '', schemaName: settings.schemaName });
      // cdktf requires connStr, but it is a secret: without the key Terraform reads PG_CONN_STR.
      backend.addOverride('conn_str', undefined);
      return backend;
    }
  }
}
