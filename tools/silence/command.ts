/**
 * The frame both silence tools run in, with `npm run check`'s conventions: `--help`, `--json`,
 * `--timeout`, the Alertmanager address from the stack's configuration, exit code 0 when done, 1
 * when Alertmanager did not answer, refused or had nothing of what was asked, 2 for a usage or
 * configuration error.
 */
import { parseArgs } from 'node:util';
import { AlertmanagerApi } from '../../clients/alertmanager';
import { HttpClient } from '../../clients/http';
import { loadMonitoringConfig } from '../../config/load';
import { publishedUrl } from '../../config/monitoring-config';
import { EXIT, Io, UsageError, timeLimit, usageFailure } from '../cli';

/** The options of `node:util`'s parseArgs that the tools use. */
type OptionSpecs = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
/** Parsed option values: strings, booleans, lists of them (repeated options). */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command did: lines for people, an object for `--json`, and whether it all went through. */
export interface Outcome {
  lines: string[];
  json: unknown;
  ok: boolean;
}

/** A command of a tool: the options it takes, and what it does with them. */
export interface Command {
  /** Option names (without `--`) this command takes besides the common ones. */
  options: readonly string[];
  /** Positional arguments: none unless said (`expire <id>...`). */
  positionals?: 'none' | 'some';
  run(api: AlertmanagerApi, values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv): Promise<Outcome>;
}

const COMMON: OptionSpecs = {
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean' },
};

/**
 * Runs `argv` (`<command> [options]`) against the Alertmanager the configuration names; returns the
 * exit code.
 */
export async function runTool(
  tool: { usage: string; options: OptionSpecs; commands: Record<string, Command> },
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io,
  context: unknown,
): Promise<number> {
  let api: AlertmanagerApi;
  let parsed: { values: OptionValues; positionals: string[] };
  let command: Command;
  try {
    try {
      parsed = parseArgs({ args: argv, options: { ...COMMON, ...tool.options }, strict: true, allowPositionals: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (parsed.values.help) {
      io.stdout.write(`${tool.usage}\n`);
      return EXIT.done;
    }
    const [name, ...rest] = parsed.positionals;
    const names = Object.keys(tool.commands).join(', ');
    if (name === undefined) throw new UsageError(`which command? ${names}`);
    command = tool.commands[name];
    if (command === undefined) throw new UsageError(`"${name}" is not a command: ${names}`);
    const stray = Object.keys(parsed.values).filter(
      (option) => !(option in COMMON) && !command.options.includes(option),
    );
    if (stray.length > 0) throw new UsageError(`${stray.map((o) => `--${o}`).join(', ')} is not an option of ${name}`);
    if ((command.positionals ?? 'none') === 'none' && rest.length > 0)
      throw new UsageError(`${name} takes no arguments, got ${rest.join(' ')}`);
    parsed.positionals = rest;
    const timeoutMs = timeLimit(parsed.values.timeout as string | undefined);
    const config = loadMonitoringConfig(env, context);
    api = new AlertmanagerApi(publishedUrl(config, 'alertmanager').replace(/\/+$/, ''), new HttpClient(timeoutMs));
  } catch (error) {
    return usageFailure(error, io, tool.usage);
  }
  let outcome: Outcome;
  try {
    outcome = await command.run(api, parsed.values, parsed.positionals, env);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error, io, tool.usage);
    const reason = error instanceof Error ? error.message : String(error);
    if (parsed.values.json) io.stdout.write(`${JSON.stringify({ ok: false, error: reason }, null, 2)}\n`);
    else io.stderr.write(`✘ ${reason}\n`);
    return EXIT.failed;
  }
  io.stdout.write(
    parsed.values.json
      ? `${JSON.stringify({ ok: outcome.ok, ...(outcome.json as object) }, null, 2)}\n`
      : `${outcome.lines.join('\n')}\n`,
  );
  return outcome.ok ? EXIT.done : EXIT.failed;
}

/** An option's string values (one, or repeated). */
export function strings(values: OptionValues, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

/** An option's single string value. */
export function single(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
