/**
 * `npm run alerts:replay -- --prometheus URL --from T [--to T] [--base REF] [--json]`: what this
 * checkout's rules and routing would have sent over a Prometheus' stored history, and with
 * `--base`, what another revision's would have, side by side. The configuration (evaluation
 * interval, Alertmanager timings) is read as `npm run check` reads it (.env, MONITORING_CONFIG,
 * cdktf.json). Exit code 0 when the replay ran, 1 when it failed (Prometheus refused or did not
 * answer), 2 for a usage or configuration error.
 */
import { parseArgs } from 'node:util';
import { Duration } from '../../core/duration';
import { EXIT, Io, UsageError, runAsProgram, usageFailure } from '../cli';
import { HttpClient } from '../../clients/http';
import { PrometheusApi } from '../../clients/prometheus';
import { RANGE_QUERY_TIMEOUT_MS } from './evaluate';
import { replay } from './replay';
import { DEFAULT_NIGHT, NightHours, renderSummaries, summarize } from './report';
import { ROOT, ReplayRuleSet, RuleSetError, loadRuleSet, ruleSetOfRevision } from './rule-set';
import { wallClock } from './time-intervals';

/** The help text (`--help`, and after a usage error). */
export const USAGE = `Usage: npm run alerts:replay -- --prometheus <url> --from <time> [options]

Evaluates this checkout's alerting rules over the history a Prometheus holds, at the evaluation
interval, with their for and keep_firing_for, then routes what fired as Alertmanager would
(routes, group_by, group_wait/interval, repeat_interval, inhibitions, time intervals): the
messages each chat would have received. It starts at the first step where Prometheus holds data
(count(up) returns a value) when that is later than --from, and no alert pends or fires where it
held none; both are reported.

Options:
  --prometheus <url>     Prometheus to read the history from (http(s)://host:port, no credentials)
  --from <time>          start: RFC 3339 (2026-03-01T00:00:00Z), Unix seconds, or relative (now-30d, --from=-6h)
  --to <time>            end (default now)
  --base <revision>      also replay another git revision's rules and routing, side by side
  --night <HH-HH>        night hours, start inclusive, end exclusive (default ${DEFAULT_NIGHT.startHour}-${DEFAULT_NIGHT.endHour})
  --time-zone <zone>     IANA time zone of the night hours (default ${DEFAULT_NIGHT.timeZone})
  --concurrency <n>      range queries at once (default 2)
  --json                 one JSON document instead of tables
  --help                 show this help

Exit code: 0 when the replay ran, 1 when Prometheus failed, 2 for a usage or configuration error.`;

/** The command line, checked. Times are ms since the epoch. */
export interface ReplayOptions {
  prometheus: string;
  fromMs: number;
  toMs: number;
  base?: string;
  night: NightHours;
  concurrency: number;
  json: boolean;
}

const RELATIVE = /^(?:now)?-(\d+(?:ms|[smhdwy]))$/;

/** A time flag's value as ms since the epoch; `now` is the reference for `now` and relative times. */
export function parseTime(flag: string, text: string, now: number): number {
  if (text === 'now') return now;
  const relative = RELATIVE.exec(text);
  if (relative) return now - Duration.parse(relative[1]).millis;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parsed = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)
    ? Date.parse(text)
    : NaN;
  if (Number.isNaN(parsed))
    throw new UsageError(`${flag} "${text}" is not a time: RFC 3339 (2026-03-01T00:00:00Z), Unix seconds, now or -30d`);
  return parsed;
}

function parseNight(text: string, timeZone: string): NightHours {
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(text);
  const [startHour, endHour] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(startHour <= 23 && endHour <= 24 && startHour !== endHour))
    throw new UsageError(`--night "${text}" is not two different hours HH-HH (e.g. 22-7)`);
  try {
    wallClock(0, timeZone);
  } catch {
    throw new UsageError(`--time-zone "${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Moscow)`);
  }
  return { startHour, endHour, timeZone };
}

/** Checks the Prometheus URL without ever printing credentials written into it. */
function parsePrometheusUrl(text: string | undefined): string {
  if (text === undefined) throw new UsageError('--prometheus is required: the Prometheus whose history to replay');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--prometheus is not a URL (expected http(s)://host:port)`);
  }
  if (url.username !== '' || url.password !== '')
    throw new UsageError('--prometheus carries credentials in its URL: give a URL without them (not shown here)');
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--prometheus "${url.protocol}" is not http: or https:`);
  return text.replace(/\/+$/, '');
}

/**
 * The options of `argv` (relative times count back from `now`, ms), or `help`. Throws a
 * UsageError naming the flag and its value (never credentials written into the URL).
 */
export function parseCliArgs(argv: string[], now: number): ReplayOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        prometheus: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        base: { type: 'string' },
        night: { type: 'string' },
        'time-zone': { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.help) return 'help';
  const prometheus = parsePrometheusUrl(parsed.prometheus);
  if (parsed.from === undefined) throw new UsageError('--from is required: where the replay starts');
  const fromMs = parseTime('--from', parsed.from, now);
  const toMs = parseTime('--to', parsed.to ?? 'now', now);
  if (!(fromMs < toMs))
    throw new UsageError(`--from ${new Date(fromMs).toISOString()} is not before --to ${new Date(toMs).toISOString()}`);
  const concurrency = parsed.concurrency === undefined ? 2 : Number(parsed.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new UsageError(`--concurrency "${parsed.concurrency}" is not a whole number from 1 to 16`);
  return {
    prometheus,
    fromMs,
    toMs,
    base: parsed.base,
    night: parseNight(
      parsed.night ?? `${DEFAULT_NIGHT.startHour}-${DEFAULT_NIGHT.endHour}`,
      parsed['time-zone'] ?? DEFAULT_NIGHT.timeZone,
    ),
    concurrency,
    json: parsed.json ?? false,
  };
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, io: Io, now = Date.now()): Promise<number> {
  let options: ReplayOptions | 'help';
  let ruleSets: ReplayRuleSet[];
  try {
    options = parseCliArgs(argv, now);
    if (options === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.done;
    }
    const head = loadRuleSet(ROOT, env, 'this checkout');
    ruleSets = options.base === undefined ? [head] : [await ruleSetOfRevision(options.base, env), head];
  } catch (error) {
    if (!(error instanceof RuleSetError)) return usageFailure(error, io, USAGE);
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  const prometheus = new PrometheusApi(options.prometheus, new HttpClient(RANGE_QUERY_TIMEOUT_MS));
  const { fromMs, toMs, night, concurrency } = options;
  try {
    const summaries = [];
    for (const ruleSet of ruleSets) {
      io.stderr.write(`replaying ${ruleSet.source}...\n`);
      const result = await replay(prometheus, ruleSet, fromMs, toMs, { concurrency });
      summaries.push(summarize(result, ruleSet.alertmanager.receivers, night));
    }
    io.stdout.write(
      options.json ? `${JSON.stringify({ night, replays: summaries })}\n` : `${renderSummaries(summaries, night)}\n`,
    );
    return EXIT.done;
  } catch (error) {
    io.stderr.write(`replay failed: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) runAsProgram(main);
