/**
 * promtool as the tests run it: a failing check is a result (exit code and output), not an
 * exception, and `promtool test rules` over many files in one run is read back per file, whichever
 * release runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PromtoolRun {
  /** promtool's exit code (-1 when it could not run or was killed). */
  code: number;
  /** What it printed, stderr merged into stdout as written, so details stay under what they belong to. */
  output: string;
}

/** Runs `promtool` (a path or a name on PATH) with `args`, within `timeoutMs` (default 60 s). */
export async function runPromtool(
  promtool: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<PromtoolRun> {
  try {
    const { stdout, stderr } = await run('sh', ['-c', 'exec "$0" "$@" 2>&1', promtool, ...args], {
      cwd: options.cwd,
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

/** `promtool test rules` over `files` in one run, and each file's verdict. */
export interface RuleTestRun extends PromtoolRun {
  /** Test file → `SUCCESS`, or what promtool found wrong in it. */
  byFile: Map<string, string>;
}

/**
 * Runs every test file in one promtool and tells each one's verdict. Up to 2.x promtool heads
 * each file's output with `Unit Testing:  <file>`; from 3.0 it prints no file names, but writes
 * them to a JUnit report (`--junit`), which is read when the release has it.
 */
export async function testRules(promtool: string, files: readonly string[], cwd?: string): Promise<RuleTestRun> {
  const junit = (await runPromtool(promtool, ['test', '--help'])).output.includes('--junit');
  if (!junit) {
    const result = await runPromtool(promtool, ['test', 'rules', ...files], { cwd });
    return { ...result, byFile: byHeader(result.output) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'stm-junit-'));
  try {
    const report = join(dir, 'report.xml');
    const result = await runPromtool(promtool, ['test', `--junit=${report}`, 'rules', ...files], { cwd });
    return { ...result, byFile: byJunitReport(readFileSync(report, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** promtool 2.x output, split per file: `Unit Testing:  <file>` then SUCCESS or FAILED and details. */
function byHeader(output: string): Map<string, string> {
  const results = new Map<string, string>();
  for (const section of output.split(/^Unit Testing: +/m).slice(1)) {
    const newline = section.indexOf('\n');
    results.set(section.slice(0, newline).trim(), section.slice(newline + 1).trim());
  }
  return results;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x9;/g, '\t')
    .replace(/&#xA;/g, '\n')
    .replace(/&amp;/g, '&');
}

/**
 * A JUnit report of promtool 3 (util/junitxml: one `<testsuite name="<file>">` per file, a
 * `<failure>` per failed check, an `<error>` when the file could not be read) → file → verdict.
 */
function byJunitReport(xml: string): Map<string, string> {
  const results = new Map<string, string>();
  for (const suite of xml.split('<testsuite ').slice(1)) {
    const name = unescapeXml(/^[^>]*?\bname="([^"]*)"/.exec(suite)?.[1] ?? '');
    const problems = [...suite.matchAll(/<(failure|error)>([\s\S]*?)<\/\1>/g)].map((match) => unescapeXml(match[2]));
    results.set(name, problems.length === 0 ? 'SUCCESS' : problems.join('\n'));
  }
  return results;
}
