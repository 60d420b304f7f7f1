/**
 * CI for users of the stack: the Terraform backend chosen in MonitoringConfig reaches the
 * synthesized JSON (locations only, never a credential), and the example workflow parses and
 * runs only what exists.
 */
import { ConfigError } from '../config/errors';
import { loadMonitoringConfig } from '../config/load';
import { synthFromEnvironment } from '../testing/synth';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadMonitoringConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.field}: ${p.reason}`);
    throw error;
  }
  return [];
}

describe('state backend', () => {
  test('local by default: cdktf keeps terraform.<stack>.tfstate in the project directory', () => {
    expect(loadMonitoringConfig({}).backend).toEqual({ type: 'local' });
    const { json } = synthFromEnvironment({});
    expect(json.terraform.backend).toEqual({ local: { path: expect.stringMatching(/\/terraform\.stock-tracker-monitoring\.tfstate$/) } });
  });

  test('a local path of its own', () => {
    const { json } = synthFromEnvironment({ STATE_LOCAL_PATH: '/srv/state/monitoring.tfstate' });
    expect(json.terraform.backend).toEqual({ local: { path: '/srv/state/monitoring.tfstate' } });
  });

  test('S3 from the environment: bucket, key, region, lock table, always encrypted, no credentials', () => {
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const { json, allOutput } = synthFromEnvironment({
      STATE_BACKEND: 's3',
      STATE_S3_BUCKET: 'acme-terraform-state',
      STATE_S3_REGION: 'eu-central-1',
      STATE_S3_DYNAMODB_TABLE: 'terraform-locks',
      AWS_SECRET_ACCESS_KEY: secretKey,
    });
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-terraform-state',
        key: 'stock-tracker-monitoring/terraform.tfstate',
        region: 'eu-central-1',
        dynamodb_table: 'terraform-locks',
        encrypt: true,
      },
    });
    expect(allOutput).not.toContain(secretKey);
  });

  test('S3 from MONITORING_CONFIG with a key of its own', () => {
    const config = loadMonitoringConfig({ MONITORING_CONFIG: JSON.stringify({ backend: { type: 's3', bucket: 'state', key: 'prod/monitoring.tfstate' } }) });
    expect(config.backend).toEqual({ type: 's3', bucket: 'state', key: 'prod/monitoring.tfstate' });
  });

  test('PostgreSQL: the schema is written, the connection string is left to PG_CONN_STR', () => {
    const connection = 'postgres://terraform:s3cr3t-pg-pass@db.internal/terraform_state';
    const { json, allOutput } = synthFromEnvironment({ STATE_BACKEND: 'pg', STATE_PG_SCHEMA: 'monitoring_state', PG_CONN_STR: connection });
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'monitoring_state' } });
    expect(allOutput).not.toContain('s3cr3t-pg-pass');
  });

  test('bad settings name the field and the value', () => {
    expect(problemsOf({ STATE_BACKEND: 'gcs' })).toEqual(['backend.type: is not one of local, s3, pg']);
    expect(problemsOf({ STATE_BACKEND: 's3' })).toEqual(['backend.bucket: is required when backend.type is s3']);
    expect(problemsOf({ STATE_S3_BUCKET: 'state' })).toEqual(['backend.bucket: applies only when backend.type is s3 (it is local)']);
    expect(problemsOf({ STATE_BACKEND: 's3', STATE_S3_BUCKET: 'Bad_Bucket', STATE_S3_REGION: 'Frankfurt' })).toEqual([
      'backend.bucket: is not valid: expected an S3 bucket name (lower-case letters, digits, . and -)',
      'backend.region: is not valid: expected an AWS region such as eu-central-1',
    ]);
    expect(problemsOf({ MONITORING_CONFIG: JSON.stringify({ backend: { type: 'pg', conStr: 'x' } }) })).toEqual([
      'backend.conStr: is not a setting (expected one of type, path, bucket, key, region, dynamodbTable, schemaName)',
    ]);
  });
});
