/**
 * What the project's command-line tools share (`npm run check`, `silence`, `maintenance`, `backup`, `restore`):
 * the configuration read as the stack reads it (environment, MONITORING_CONFIG,
 * cdktf.json's context), output through an `Io`, and the exit codes: 0 done, 1 the stack failed
 * or refused, 2 a usage or configuration error (the message, then the usage).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/errors';

/** Where a tool writes: results on stdout, progress and errors on stderr. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Colours in tables. */
  color: boolean;
}

/** A command line the tool cannot run: exit 2 with the message and the usage. */
export class UsageError extends Error {}

/** Exit codes every tool keeps. */
export const EXIT = { done: 0, failed: 1, usage: 2 } as const;

/** Time limit of each HTTP request a tool makes, unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** `--timeout`: whole milliseconds, 100 or more; `DEFAULT_TIMEOUT_MS` when not given. */
export function timeLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 100)
    throw new UsageError(`--timeout "${value}" is not a whole number of milliseconds (100 or more)`);
  return ms;
}

/** The `monitoring` key of cdktf.json's context, as `cdktf synth` sees it. */
export function cdktfContext(): unknown {
  const cdktf = JSON.parse(readFileSync(join(__dirname, '..', 'cdktf.json'), 'utf8')) as {
    context?: { monitoring?: unknown };
  };
  return cdktf.context?.monitoring;
}

/**
 * Writes a usage or configuration error to stderr (with the usage after a usage error) and
 * returns exit code 2; rethrows anything else.
 */
export function usageFailure(error: unknown, io: Io, usage: string): number {
  if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
  io.stderr.write(`${error.message}\n${error instanceof UsageError ? `\n${usage}\n` : ''}`);
  return EXIT.usage;
}

/** `text` in lines of at most `width` characters, each after `indent` spaces but the first. */
export function wrapped(text: string, indent: number, width = 100 - indent): string {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (lines[last] !== '' && lines[last].length + 1 + word.length > width) lines.push(word);
    else lines[last] = lines[last] === '' ? word : `${lines[last]} ${word}`;
  }
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** Runs a tool's `main` as the program: its exit code, 2 for anything it did not expect. */
export function runAsProgram(main: (argv: string[], env: NodeJS.ProcessEnv, io: Io) => Promise<number>): void {
  const color = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
  main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr, color }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = EXIT.usage;
    },
  );
}
