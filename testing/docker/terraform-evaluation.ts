/**
 * The values Terraform would give the synthesized configuration's attributes, computed by
 * Terraform itself (offline: only variables, locals, outputs and the builtin `terraform_data`), so
 * the harness gets Terraform's own semantics of every expression the stack writes (`try`, `can`,
 * `regex`, `for` expressions, template strings, `$${` escapes) instead of a re-implementation.
 *
 * What only a provider could know is given: a data source's attributes (from `docker network
 * inspect`, as the provider's data source sets them) and a resource's computed ones (an image's
 * `image_id`). References to them are rewritten to locals holding those values; a reference to
 * anything not given stays as it is and Terraform refuses it ("Reference to undeclared resource"),
 * as does an attribute the given object lacks ("Unsupported attribute"): nothing is guessed.
 * Preconditions run as Terraform runs them, on `terraform_data` resources: a failed one fails the
 * evaluation with its own message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformJson } from '../synth';

/** The attributes of a data source or resource, by address (`data.docker_network.app-network`, `docker_image.<id>`). */
export type KnownAttributes = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Attributes of the blocks to evaluate, by a name of the caller's choice. */
export type Blocks = Readonly<Record<string, unknown>>;

/** The resource types whose references can be given values (the rest stay undeclared). */
const GIVEN_TYPES = /^(data\.[a-z_]+|docker_[a-z_]+)\.[A-Za-z0-9_-]+$/;

/** The local that holds a given address's attributes: `data.docker_network.x` → `local.given__data__docker_network__x`. */
function localFor(address: string): string {
  return `given__${address.replace(/\./g, '__')}`;
}

/** The end of the `${...}` starting at `start` (the index after its `}`), skipping quoted strings and nested braces. */
function interpolationEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i + 1;
  }
  throw new Error(`unterminated interpolation: ${text.slice(start, start + 60)}`);
}

/** `text` with every given address inside its interpolations (`${...}`, not `$${`) turned into its local. */
export function rewriteReferences(text: string, given: readonly string[]): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const escaped = text.startsWith('$${', i);
    if (!escaped && text.startsWith('${', i)) {
      const end = interpolationEnd(text, i);
      let span = text.slice(i, end);
      for (const address of given) {
        const pattern = new RegExp(`(?<![\\w.-])${address.replace(/[.]/g, '\\.')}(?![\\w-])`, 'g');
        span = span.replace(pattern, `local.${localFor(address)}`);
      }
      out += span;
      i = end;
    } else {
      const step = escaped ? 3 : 1;
      out += text.slice(i, i + step);
      i += step;
    }
  }
  return out;
}

function rewriteAll(value: unknown, given: readonly string[]): unknown {
  if (typeof value === 'string') return rewriteReferences(value, given);
  if (Array.isArray(value)) return value.map((item) => rewriteAll(item, given));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '//')
        .map(([key, item]) => [key, rewriteAll(item, given)]),
    );
  return value;
}

/** `TF_VAR_<name>` for each variable's value: how Terraform reads them, never on a command line. */
function variableEnvironment(values: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`TF_VAR_${name}`, value]));
}

function terraform(dir: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    // The machine's CLI configuration file may point nowhere (../shared/NOTES.md); nothing here needs one.
    env: { ...process.env, ...env, TF_CLI_CONFIG_FILE: undefined, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
  });
  if (result.status !== 0)
    throw new Error(`terraform ${args[0]}: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

export interface EvaluationInput {
  /** The synthesized configuration: its variables, locals and `terraform_data` resources are used. */
  json: TerraformJson;
  /** A value for each variable (test secrets). */
  variables: Readonly<Record<string, string>>;
  /** What the provider would know: data sources' and resources' attributes, by address. */
  known: KnownAttributes;
  /** Attribute objects to evaluate, by name; `//` metadata keys are dropped. */
  blocks: Blocks;
  /** Preconditions of other resources, by resource address, run with the configuration's own. @default none */
  preconditions?: Readonly<Record<string, unknown[]>>;
}

/**
 * `blocks` as Terraform evaluates them: references to `known` addresses read those values,
 * variables take `variables`, locals are the configuration's. Runs `terraform apply` on a
 * configuration of variables, locals, the `terraform_data` resources (with their preconditions)
 * and one output, in a temporary folder removed afterwards. Throws with Terraform's message on any
 * error: an unknown reference or attribute, a failed precondition, a missing variable.
 */
export function evaluateWithTerraform(input: EvaluationInput): Record<string, unknown> {
  const given = Object.keys(input.known);
  const unknown = given.filter((address) => !GIVEN_TYPES.test(address));
  if (unknown.length > 0) throw new Error(`not an address of a data source or docker resource: ${unknown.join(', ')}`);
  const preconditions = Object.fromEntries(
    Object.entries(input.preconditions ?? {}).map(([address, conditions]) => [
      `${address.replace(/\./g, '__')}__preconditions`,
      { lifecycle: { precondition: conditions } },
    ]),
  );
  const configuration = {
    variable: input.json.variable,
    locals: {
      ...(rewriteAll(input.json.locals ?? {}, given) as object),
      ...Object.fromEntries(given.map((address) => [localFor(address), input.known[address]])),
    },
    resource: {
      terraform_data: rewriteAll({ ...(input.json.resource.terraform_data ?? {}), ...preconditions }, given),
    },
    output: { evaluated: { value: rewriteAll(input.blocks, given), sensitive: true } },
  };
  const dir = mkdtempSync(join(tmpdir(), 'stm-terraform-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(configuration, null, 2));
    const env = variableEnvironment(input.variables);
    terraform(dir, ['init', '-input=false', '-no-color'], env);
    terraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    return JSON.parse(terraform(dir, ['output', '-json', 'evaluated'], env)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
