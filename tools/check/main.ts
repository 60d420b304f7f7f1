/**
 * `npm run check`: is the deployed monitoring stack working? Reads the same configuration as the
 * stack (environment, MONITORING_CONFIG, cdktf.json context), runs every check with a time limit
 * on each request, shows progress on stderr and a table (or JSON) on stdout.
 * Exit code: 0 when every check passed, 1 when one failed or was not checked (what it needs
 * failed first), 2 for a usage or configuration error (a --skip that leaves nothing to check
 * included: nothing checked is never a pass).
 */
import { parseArgs } from 'node:util';
import { loadMonitoringConfig } from '../../config/load';
import { MonitoringConfig } from '../../config/monitoring-config';
import { SEVERITIES, Severity, isSeverity } from '../../core/severity';
import { CHECK_COMPONENTS, COMPONENT_LABELS, DEFAULT_TIMEOUT_MS, buildChecks } from './index';
import { Check, CheckComponent, allPassed, runChecks } from './check';
import { renderJson, renderTable } from './report';
import { CheckTargets, targetsFromConfig } from './targets';
import { Io, UsageError, cdktfContext, runAsProgram, timeLimit, usageFailure, wrapped } from '../cli';

/** What `--skip` accepts: the table's names (descriptor titles), and the internal keys (`postgresExporter`), in any case. */
const SKIPPABLE: ReadonlyMap<string, CheckComponent> = new Map(
  CHECK_COMPONENTS.flatMap((component) => [
    [component.toLowerCase(), component],
    [COMPONENT_LABELS[component].toLowerCase(), component],
  ]),
);
const SKIP_NAMES = CHECK_COMPONENTS.map((component) => COMPONENT_LABELS[component]).join(', ');

/** The component `--skip` names, or undefined. */
export function skippedComponent(name: string): CheckComponent | undefined {
  return SKIPPABLE.get(name.toLowerCase());
}

export const USAGE = `Usage: npm run check -- [options]

Checks the deployed monitoring stack: every component's endpoint, Prometheus targets, rules and
alerts, Alertmanager configuration, receivers, silences and alerts, Grafana's data source and
dashboards. URLs and ports come from the same configuration as the stack (.env, MONITORING_CONFIG).

Options:
  --json                 print the results as JSON instead of a table
  --test-telegram        also send a test alert through Alertmanager to Telegram
  --severity <severity>  severity of the test alert: ${SEVERITIES.join(', ')} (default info: silent)
  --timeout <ms>         time limit of each request (default ${DEFAULT_TIMEOUT_MS})
  --api-url <url>        where the API serves its metrics, if not at the configured targets
                         (e.g. http://127.0.0.1:8000/metrics); repeat for several
  --skip <component>     do not check a component, named as the table names it (any case):
                         ${wrapped(`${SKIP_NAMES}; repeat or comma-separate`, 25)}
  --help                 show this help

Each check is passed (✔), failed (✘), or not checked (–: what it needs failed first, such as the
component answering; the checks of a component not checked for one reason are one row).

Exit code: 0 when every check passed, 1 when one failed or was not checked, 2 for a usage or
configuration error (--skip that leaves nothing to check is one).`;

export interface CliOptions {
  json: boolean;
  testTelegram?: Severity;
  timeoutMs: number;
  apiUrls?: string[];
  skip: CheckComponent[];
}

export function parseCliArgs(argv: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        'test-telegram': { type: 'boolean', default: false },
        severity: { type: 'string' },
        timeout: { type: 'string' },
        'api-url': { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.help) return 'help';
  const severity = parsed.severity ?? 'info';
  if (!isSeverity(severity)) throw new UsageError(`--severity "${severity}" is not one of ${SEVERITIES.join(', ')}`);
  if (parsed.severity !== undefined && !parsed['test-telegram'])
    throw new UsageError('--severity is the severity of --test-telegram: give both');
  const timeoutMs = timeLimit(parsed.timeout);
  for (const url of parsed['api-url'] ?? []) {
    if (!/^https?:\/\/\S+$/.test(url)) throw new UsageError(`--api-url "${url}" is not an http(s) URL`);
  }
  const skip = (parsed.skip ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = skip.filter((name) => skippedComponent(name) === undefined);
  if (unknown.length > 0) throw new UsageError(`--skip "${unknown.join(', ')}" is not a component: ${SKIP_NAMES}`);
  return {
    json: parsed.json ?? false,
    testTelegram: parsed['test-telegram'] ? severity : undefined,
    timeoutMs,
    apiUrls: parsed['api-url'],
    skip: [...new Set(skip.map((name) => skippedComponent(name) as CheckComponent))],
  };
}

/** Progress on stderr: one line rewritten in place on a terminal, a line per check elsewhere. */
function progress(io: Io): (check: Check, finished: number, total: number) => void {
  return (check, finished, total) => {
    const line = `checking ${finished}/${total} · ${COMPONENT_LABELS[check.component]}: ${check.name}`;
    io.stderr.write(io.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  };
}

/** Runs the CLI; returns the exit code. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io,
  context: unknown = cdktfContext(),
): Promise<number> {
  let options: CliOptions | 'help';
  let targets: CheckTargets;
  let config: MonitoringConfig;
  try {
    options = parseCliArgs(argv);
    if (options === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    config = loadMonitoringConfig(env, context);
    targets = targetsFromConfig(config, env, options.apiUrls);
  } catch (error) {
    return usageFailure(error, io, USAGE);
  }
  // An application that runs its own celery-exporter publishes no port of the stack's to check.
  const skip: CheckComponent[] = [
    ...options.skip,
    ...(config.targets.celeryExporter ? (['celeryExporter'] as const) : []),
  ];
  const checks = buildChecks(targets, { timeoutMs: options.timeoutMs, testTelegram: options.testTelegram, skip });
  // Nothing checked proves nothing: a usage error, not a pass.
  if (checks.length === 0) {
    const skipped = options.skip.map((component) => COMPONENT_LABELS[component]).join(', ');
    io.stderr.write(`nothing to check: --skip ${skipped} leaves out every check\n\n${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  const results = await runChecks(checks, { onStart: progress(io) });
  if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
  io.stdout.write(
    `${options.json ? renderJson(results) : renderTable(results, { color: io.color, elapsedMs: Date.now() - started })}\n`,
  );
  return allPassed(results) ? 0 : 1;
}

if (require.main === module) runAsProgram((argv, env, io) => main(argv, env, io));
