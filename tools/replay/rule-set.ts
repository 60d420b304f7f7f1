/**
 * What a replay evaluates: a revision's rule groups as Prometheus reads them, the global
 * evaluation interval, and the part of Alertmanager's configuration that decides who is told
 * (routes, inhibitions, time intervals, which receivers send resolved messages). Read from a
 * checkout by its own code (`domain/rules`, `domain/alerting`, `config/load`), so another revision
 * is replayed with its own rules: `--base REF` runs this file in a temporary worktree of REF.
 *
 *   node -r ts-node/register/transpile-only tools/replay/rule-set.ts <checkout>   # prints the JSON
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { RuleGroupSpec } from '../../domain/rules';

const run = promisify(execFile);

/** A matcher list as Alertmanager's configuration writes it: `severity="critical"`, `alertname=~"A|B"`. */
export type MatcherTexts = string[];

/** A route of Alertmanager's routing tree (configuration file field names). */
export interface ReplayRoute {
  receiver?: string;
  matchers?: MatcherTexts;
  /** Legacy equality matchers (`match:`), still read by Alertmanager 0.25. */
  match?: Record<string, string>;
  /** Legacy regex matchers (`match_re:`). */
  match_re?: Record<string, string>;
  continue?: boolean;
  /** Label names, or `['...']` for every label. */
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  routes?: ReplayRoute[];
}

/** An inhibition rule (configuration file field names). */
export interface ReplayInhibitRule {
  source_matchers?: MatcherTexts;
  target_matchers?: MatcherTexts;
  source_match?: Record<string, string>;
  source_match_re?: Record<string, string>;
  target_match?: Record<string, string>;
  target_match_re?: Record<string, string>;
  equal?: string[];
}

/** One time range of a time interval (Alertmanager's `time_intervals[].time_intervals[]`). */
export interface ReplayTimeRange {
  times?: { start_time: string; end_time: string }[];
  weekdays?: string[];
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  /** IANA time zone the range is read in; default UTC. */
  location?: string;
}

/** A receiver, reduced to what decides a message: whether it tells people, and whether it sends resolved alerts. */
export interface ReplayReceiver {
  name: string;
  /** The integrations it has (`telegram`, `webhook`, ...): none is a null receiver. */
  integrations: string[];
  sendResolved: boolean;
}

/** The part of `alertmanager.yml` a replay models. */
export interface ReplayAlertmanager {
  route: ReplayRoute;
  inhibit_rules: ReplayInhibitRule[];
  receivers: ReplayReceiver[];
  time_intervals: { name: string; time_intervals: ReplayTimeRange[] }[];
}

/** Everything a replay needs of one revision. */
export interface ReplayRuleSet {
  /** Where it came from, for the report: `working tree`, or the revision given. */
  source: string;
  /** Prometheus' global `evaluation_interval`: the step of the replay. */
  evaluationInterval: string;
  /** The rule groups as the revision renders them (`ruleGroupSpecs`): what Prometheus evaluates. */
  groups: RuleGroupSpec[];
  alertmanager: ReplayAlertmanager;
}

/** A revision that cannot be read: not a commit, or without the modules a replay reads. */
export class RuleSetError extends Error {}

/** The shape checks of what a checkout's modules hand back: a revision without them is named, not half-read. */
function expectRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RuleSetError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function expectFunction<F>(module: Record<string, unknown>, name: string, path: string): F {
  if (typeof module[name] !== 'function') throw new RuleSetError(`${path} exports no function ${name}`);
  return module[name] as F;
}

/** Receivers as the replay sees them: integration names and send_resolved, never a URL, token or chat id. */
function replayReceivers(receivers: unknown): ReplayReceiver[] {
  if (!Array.isArray(receivers)) throw new RuleSetError('the Alertmanager configuration has no receivers list');
  return receivers.map((raw) => {
    const receiver = expectRecord(raw, 'a receiver');
    const integrations = Object.keys(receiver)
      .filter((key) => key.endsWith('_configs') && Array.isArray(receiver[key]) && receiver[key].length > 0)
      .map((key) => key.slice(0, -'_configs'.length));
    const configs = integrations.flatMap(
      (integration) => receiver[`${integration}_configs`] as { send_resolved?: boolean }[],
    );
    return {
      name: String(receiver.name),
      integrations,
      // Alertmanager's default is true for every integration this project uses (webhook, telegram).
      sendResolved: configs.some((config) => config.send_resolved !== false),
    };
  });
}

/**
 * The rule set of the checkout at `root`, read through its own modules: `ruleGroupSpecs` of the
 * groups the stack deploys for the configured SLOs (`ruleGroups(config.slo)`, or `RULE_GROUPS` in
 * a revision without it) from domain/rules, `buildAlertmanagerConfig` from domain/alerting, and the configuration from
 * `env` and its cdktf.json context (`loadMonitoringConfig`), as its `npm run check` reads it.
 * Throws naming the module or export a revision lacks.
 */
export function loadRuleSet(root: string, env: NodeJS.ProcessEnv, source: string): ReplayRuleSet {
  const load = (path: string): Record<string, unknown> => {
    const file = join(root, path);
    if (!existsSync(`${file}.ts`) && !existsSync(join(file, 'index.ts')))
      throw new RuleSetError(`${source} has no ${path}: it predates the typed rules and cannot be replayed`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Record<string, unknown>;
  };
  const rules = load('domain/rules');
  const alerting = load('domain/alerting');
  const configLoad = load('config/load');
  const context = (JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as { context?: { monitoring?: unknown } })
    .context?.monitoring;
  const config = expectRecord(
    expectFunction<(env: NodeJS.ProcessEnv, context: unknown) => unknown>(
      configLoad,
      'loadMonitoringConfig',
      'config/load',
    )(env, context),
    'the monitoring configuration',
  );
  // The groups the stack deploys for the configured SLOs; a revision from before configurable SLOs has only RULE_GROUPS.
  const deployed =
    typeof rules.ruleGroups === 'function' ? (rules.ruleGroups(config.slo) as unknown) : rules.RULE_GROUPS;
  const groups = expectFunction<(groups: unknown) => RuleGroupSpec[]>(
    rules,
    'ruleGroupSpecs',
    'domain/rules',
  )(deployed);
  const alertmanager = expectRecord(
    JSON.parse(
      JSON.stringify(
        expectFunction<(settings: unknown) => unknown>(
          alerting,
          'buildAlertmanagerConfig',
          'domain/alerting',
        )(config.alerting),
      ),
    ),
    'the Alertmanager configuration',
  );
  const prometheus = expectRecord(config.prometheus, 'the prometheus settings');
  return {
    source,
    evaluationInterval: String(prometheus.evaluationInterval),
    groups: JSON.parse(JSON.stringify(groups)) as RuleGroupSpec[],
    alertmanager: {
      route: expectRecord(alertmanager.route, 'the Alertmanager route') as ReplayRoute,
      inhibit_rules: (alertmanager.inhibit_rules ?? []) as ReplayInhibitRule[],
      receivers: replayReceivers(alertmanager.receivers),
      time_intervals: (alertmanager.time_intervals ?? []) as ReplayAlertmanager['time_intervals'],
    },
  };
}

/** The checkout this file belongs to. */
export const ROOT = join(__dirname, '..', '..');

/**
 * Why a checkout's modules could not be read, in one line without a stack trace: a RuleSetError's
 * own message; for a module that cannot be found, its name and the file of `root` that requires
 * it; else the error and the first place in `root`'s files it was thrown from.
 */
export function loadFailure(error: unknown, root: string): string {
  if (error instanceof RuleSetError) return error.message;
  const { message, stack, code, requireStack } = error as NodeJS.ErrnoException & { requireStack?: string[] };
  const own = (file: string) => file.startsWith(`${root}/`) && !file.includes('/node_modules/');
  if (code === 'MODULE_NOT_FOUND') {
    const wanted = /Cannot find module '([^']+)'/.exec(message)?.[1] ?? message;
    const by = (requireStack ?? []).find(own);
    return `it needs the module ${wanted}, which cannot be found${by ? ` (required by ${relative(root, by)})` : ''}`;
  }
  const place = (stack ?? '')
    .split('\n')
    .map((line) => /\(?(\/[^():]+):(\d+):\d+\)?$/.exec(line.trim()))
    .find((match) => match !== null && own(match[1]));
  const where = place ? ` (at ${relative(root, place[1])}:${place[2]})` : '';
  return `${error instanceof Error ? error.name : 'Error'}: ${message.split('\n')[0]}${where}`;
}

type PackageManifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/**
 * The packages two package.json files ask for differently (`name (<theirs> there, <ours> here)`,
 * `none` for a package one of them lacks), sorted by name.
 */
export function dependencyDifferences(theirs: PackageManifest, ours: PackageManifest): string[] {
  const all = (manifest: PackageManifest) => ({ ...manifest.dependencies, ...manifest.devDependencies });
  const [there, here] = [all(theirs), all(ours)];
  return [...new Set([...Object.keys(there), ...Object.keys(here)])]
    .filter((name) => there[name] !== here[name])
    .sort()
    .map((name) => `${name} (${there[name] ?? 'none'} there, ${here[name] ?? 'none'} here)`);
}

/**
 * The rule set of git revision `ref`: a temporary worktree of it (with this checkout's
 * node_modules), this file run there with ts-node in a child process, the worktree removed after,
 * whatever happened. Throws a RuleSetError naming the revision and why, in a few lines: not a
 * commit; its modules could not be read (`loadFailure`), with the packages its package.json asks
 * for differently from this checkout's, the likely cause (`dependencyDifferences`).
 */
export async function ruleSetOfRevision(ref: string, env: NodeJS.ProcessEnv): Promise<ReplayRuleSet> {
  if (!/^[\w./@^~{}:-]+$/.test(ref)) throw new RuleSetError(`--base "${ref}" is not a git revision`);
  const scratch = mkdtempSync(join(tmpdir(), 'stm-replay-base-'));
  const worktree = join(scratch, 'checkout');
  try {
    const commit = await run('git', ['-C', ROOT, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
      throw new RuleSetError(`--base "${ref}" names no commit of this repository (git fetch it first?)`);
    });
    await run('git', ['-C', ROOT, 'worktree', 'add', '--detach', worktree, ref], { timeout: 120_000 });
    // A revision may hold a node_modules of its own (one of main's held a symlink): this checkout's replaces it.
    rmSync(join(worktree, 'node_modules'), { recursive: true, force: true });
    symlinkSync(join(ROOT, 'node_modules'), join(worktree, 'node_modules'), 'dir');
    const { stdout } = await run(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'rule-set.ts'), worktree, ref],
      { cwd: worktree, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stderr?: string; message: string }) => {
      const cause = (error.stderr ?? error.message).trim().split('\n').slice(-3).join(' ');
      const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageManifest;
      const differences = existsSync(join(worktree, 'package.json'))
        ? dependencyDifferences(read(join(worktree, 'package.json')), read(join(ROOT, 'package.json')))
        : [];
      throw new RuleSetError(
        `--base ${ref} (${commit.stdout.trim().slice(0, 12)}): its rules could not be read: ${cause}` +
          (differences.length > 0
            ? `\nIt was read with this checkout's node_modules, and its package.json asks for other versions of: ${differences.join(', ')}; replay it from a checkout of ${ref} with its own npm ci.`
            : ''),
      );
    });
    return JSON.parse(stdout) as ReplayRuleSet;
  } finally {
    await run('git', ['-C', ROOT, 'worktree', 'remove', '--force', worktree]).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [root, source] = process.argv.slice(2);
  try {
    process.stdout.write(JSON.stringify(loadRuleSet(root, process.env, source ?? root)));
  } catch (error) {
    process.stderr.write(`${loadFailure(error, root)}\n`);
    process.exitCode = 1;
  }
}
