/**
 * The check model: each check is a typed object (what it checks, on which component, and how),
 * so the CLI, its tests and the e2e harness run the same list in-process.
 */
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName } from '../../core/components';

/** What a check is about: a monitoring component (core/components.ts), the application's API, or Telegram. */
export type CheckComponent = ComponentName | 'api' | 'telegram';

/** Table order, and what the table calls each component: the monitoring components by their descriptors' titles, then the API and Telegram. */
export const COMPONENT_LABELS: Readonly<Record<CheckComponent, string>> = {
  ...(Object.fromEntries(COMPONENTS.map((component) => [component, COMPONENT_DESCRIPTORS[component].title])) as Record<
    ComponentName,
    string
  >),
  api: 'API',
  telegram: 'Telegram',
};
export const CHECK_COMPONENTS = Object.keys(COMPONENT_LABELS) as CheckComponent[];

/**
 * How a check ended: it passed, it failed, or it was not checked (what it needs failed or did not
 * answer, so its own verdict is unknown: a stopped Prometheus is one failure, not twenty).
 */
export type CheckStatus = 'passed' | 'failed' | 'not-checked';

export interface CheckOutcome {
  status: CheckStatus;
  /** `status === 'passed'`: a check not checked is not ok either. */
  ok: boolean;
  /** One line an operator reads: what was found, and for a failure what is wrong. Never a secret. */
  detail: string;
  /**
   * `host:port` that gave no answer at all (connection refused, host not found, no answer in
   * time), as opposed to one that answered wrong: when no address answers, nothing is deployed.
   */
  unreachable?: string;
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
   * A check that must pass first (the component answering): when it does not, this one is reported
   * not checked without running, so a stopped Prometheus is one failure, not twenty timeouts.
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
  return { status: 'passed', ok: true, detail };
}

export function failed(detail: string): CheckOutcome {
  return { status: 'failed', ok: false, detail };
}

/** Not judged: what the check needs is missing. `unreachable` is an address it tried that gave no answer. */
export function notChecked(detail: string, unreachable?: string): CheckOutcome {
  return { status: 'not-checked', ok: false, detail, ...(unreachable === undefined ? {} : { unreachable }) };
}

/** Failed because `address` gave no answer at all (refused, not found, no answer in time). */
export function unreachable(address: string, detail: string): CheckOutcome {
  return { ...failed(detail), unreachable: address };
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

/** Why a check whose requirement did not pass was not run: that requirement, by component and name. */
export function requirementDetail(required: CheckResult): string {
  const what = `"${COMPONENT_LABELS[required.component]} ${required.name}"`;
  return `not checked: ${what} ${required.status === 'failed' ? 'failed' : 'was not checked'}`;
}

async function runOne(check: Check, requirement: Promise<CheckResult> | undefined): Promise<CheckResult> {
  const required = await requirement;
  const outcome = await record(check.name, async () =>
    required && !required.ok ? notChecked(requirementDetail(required)) : check.run(),
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

/** Every check passed, and there was one at least: nothing checked is no proof of anything. */
export function allPassed(results: readonly CheckResult[]): boolean {
  return results.length > 0 && results.every((result) => result.status === 'passed');
}

/** How many results of each status. */
export function countByStatus(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { passed: 0, failed: 0, 'not-checked': 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/**
 * When nothing answered at all (no check passed, and every failure is an address that gave no
 * answer): the addresses tried, with what the table calls each, as `127.0.0.1:9090 (Prometheus)`.
 * Undefined when anything answered.
 */
export function nothingAnswers(results: readonly CheckResult[]): string[] | undefined {
  const tried = results.filter((result) => result.unreachable !== undefined);
  if (tried.length === 0 || results.some((result) => result.status === 'passed')) return undefined;
  if (results.some((result) => result.status === 'failed' && result.unreachable === undefined)) return undefined;
  return [...new Set(tried.map((result) => `${result.unreachable} (${COMPONENT_LABELS[result.component]})`))];
}
