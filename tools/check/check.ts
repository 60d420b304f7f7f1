/**
 * The check model: each check is a typed object (what it checks, on which component, and how),
 * so the CLI, its tests and the e2e harness run the same list in-process.
 */
import { ComponentName } from '../../core/components';

/** What a check is about: a monitoring component (core/components.ts), the application's API, or Telegram. */
export type CheckComponent = ComponentName | 'api' | 'telegram';

export interface CheckOutcome {
  ok: boolean;
  /** One line an operator reads: what was found, and for a failure what is wrong. Never a secret. */
  detail: string;
}

export interface Check {
  /** Where the table lists it: the component whose API runs it. */
  component: CheckComponent;
  name: string;
  /**
   * The component it is about, when another one runs it (Prometheus' view of node-exporter's
   * targets): skipping a component skips these too.
   */
  about?: CheckComponent;
  /**
   * A check that must pass first (the component answering): when it fails this one is reported
   * failed without running, so a stopped Prometheus is one clear row, not twenty timeouts.
   */
  requires?: Check;
  run(): Promise<CheckOutcome>;
}

/** An outcome with the check's name and how long it ran: what every runner (CLI, e2e) records. */
export interface CheckRecord extends CheckOutcome {
  name: string;
  /** Milliseconds from start to outcome. */
  durationMs: number;
}

/** A {@link CheckRecord} of the check CLI: where the table lists it. */
export interface CheckResult extends CheckRecord {
  component: CheckComponent;
  about?: CheckComponent;
}

export interface RunOptions {
  /** Checks run at once (each of their requests has its own time limit). Default 4. */
  concurrency?: number;
  /** Called when a check starts, with how many have finished. */
  onStart?: (check: Check, finished: number, total: number) => void;
}

export function passed(detail: string): CheckOutcome {
  return { ok: true, detail };
}

export function failed(detail: string): CheckOutcome {
  return { ok: false, detail };
}

/** Up to `limit` items, then "and N more": details stay one line. */
export function listed(items: readonly string[], limit = 4): string {
  return items.length <= limit
    ? items.join(', ')
    : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

/** `load` called at most once; every caller shares its promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/**
 * Runs one named check and records its outcome: a check that throws fails with the error's message,
 * so one broken check never hides the others.
 */
export async function record(name: string, run: () => Promise<CheckOutcome>): Promise<CheckRecord> {
  const started = Date.now();
  let outcome: CheckOutcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = failed((error as { message?: string })?.message ?? String(error));
  }
  return { name, ...outcome, durationMs: Date.now() - started };
}

async function runOne(check: Check, requirement: Promise<CheckResult> | undefined): Promise<CheckResult> {
  const required = await requirement;
  const outcome = await record(check.name, async () =>
    required && !required.ok ? failed(`not checked: ${required.name} failed`) : check.run(),
  );
  const about = check.about === undefined ? {} : { about: check.about };
  return { component: check.component, ...about, ...outcome };
}

/**
 * Runs every check, a few at a time; results come back in the order of `checks`. A required check
 * must come before the checks that require it (workers take checks in order, so it has started).
 */
export async function runChecks(checks: readonly Check[], options: RunOptions = {}): Promise<CheckResult[]> {
  const running = new Map<Check, Promise<CheckResult>>();
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < checks.length) {
      const check = checks[next++];
      options.onStart?.(check, finished, checks.length);
      const result = runOne(check, check.requires && running.get(check.requires));
      running.set(check, result);
      await result;
      finished++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, checks.length) }, worker));
  return Promise.all(checks.map((check) => running.get(check) as Promise<CheckResult>));
}

export function allPassed(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.ok);
}
