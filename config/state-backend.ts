/**
 * The `backend` section of `MonitoringConfig`: where Terraform keeps the stack's state. The state
 * holds the rendered files, so it holds the secrets: a shared backend (S3, PostgreSQL) is for teams
 * and CI, the local file for one operator.
 *
 * Credentials are NOT here and never reach the synthesized JSON: Terraform reads them from its own
 * environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or a profile for S3, PG_CONN_STR for
 * PostgreSQL).
 */
import { Fields, NAME } from './fields';

export const BACKEND_TYPES = ['local', 's3', 'pg'] as const;
export type BackendType = (typeof BACKEND_TYPES)[number];

export interface LocalBackendSettings {
  type: 'local';
  /** State file; default cdktf's `terraform.<stackName>.tfstate` in the project directory. */
  path?: string;
}

export interface S3BackendSettings {
  type: 's3';
  bucket: string;
  /** Object key of the state; default `<stackName>/terraform.tfstate`. */
  key?: string;
  /** Default: Terraform's `AWS_REGION` / `AWS_DEFAULT_REGION`. */
  region?: string;
  /** DynamoDB table (partition key `LockID`) that locks the state while a plan or apply runs. */
  dynamodbTable?: string;
}

export interface PgBackendSettings {
  type: 'pg';
  /** Schema Terraform keeps the state in; default Terraform's `terraform_remote_state`. */
  schemaName?: string;
}

export type BackendSettings = LocalBackendSettings | S3BackendSettings | PgBackendSettings;

export const DEFAULT_BACKEND_SETTINGS: BackendSettings = { type: 'local' };

/** The settings each type takes besides `type` (a setting of another type is a mistake, not ignored). */
const SETTINGS_OF: Record<BackendType, readonly string[]> = {
  local: ['path'],
  s3: ['bucket', 'key', 'region', 'dynamodbTable'],
  pg: ['schemaName'],
};

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_KEY = /^[^\s/][^\s]*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PATH = /^\S+$/;

export function parseBackendSettings(raw: unknown, fields: Fields): BackendSettings {
  const given = fields.section('backend', raw);
  const type = fields.oneOf('backend.type', given.type, DEFAULT_BACKEND_SETTINGS.type, BACKEND_TYPES);
  fields.onlyKnownKeys('backend', given, ['type', ...Object.values(SETTINGS_OF).flat()]);
  // With a misspelt type there is no telling which settings belong: that one problem is enough.
  if (given.type === undefined || type === given.type) {
    for (const [owner, keys] of Object.entries(SETTINGS_OF)) {
      if (owner === type) continue;
      for (const key of keys.filter((k) => given[k] !== undefined)) {
        fields.reader.problem(
          `backend.${key}`,
          given[key],
          `applies only when backend.type is ${owner} (it is ${type})`,
        );
      }
    }
  }
  const optional = (key: string, pattern: RegExp, expected: string): string | undefined =>
    given[key] === undefined ? undefined : fields.string(`backend.${key}`, given[key], '', pattern, expected);
  switch (type) {
    case 'local':
      return { type, ...defined({ path: optional('path', PATH, 'a file path without spaces') }) };
    case 's3': {
      if (given.bucket === undefined)
        fields.reader.problem('backend.bucket', undefined, 'is required when backend.type is s3');
      return {
        type,
        bucket: fields.string(
          'backend.bucket',
          given.bucket,
          '',
          BUCKET,
          'an S3 bucket name (lower-case letters, digits, . and -)',
        ),
        ...defined({
          key: optional('key', S3_KEY, 'an object key without spaces, not starting with /'),
          region: optional('region', REGION, 'an AWS region such as eu-central-1'),
          dynamodbTable: optional('dynamodbTable', NAME, 'a DynamoDB table name'),
        }),
      };
    }
    case 'pg':
      return {
        type,
        ...defined({
          schemaName: optional(
            'schemaName',
            /^[a-z_][a-z0-9_]*$/,
            'a PostgreSQL schema name (lower-case letters, digits, _)',
          ),
        }),
      };
  }
}

/** Leaves out the settings not given, so the parsed section equals its literal form. */
function defined<T extends Record<string, string | undefined>>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<T>;
}
