/**
 * `npm run bench:synth`: synth time of the full stack against a stack of one container, median of
 * 5 runs each, alternating, printed as a ratio. Target: full stack under 1.3x the one-container time.
 *
 * Measured two ways:
 * - `cdktf synth` (what `npm run synth` runs; the target applies here): the CLI, then the app
 *   through `npx ts-node --transpile-only`, as cdktf.json says;
 * - the app process alone (`node -r ts-node/register/transpile-only <app>`), which shows the
 *   project's own cost (transpiling its TypeScript, building and synthesizing the constructs)
 *   without the CLI's fixed cost.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 5;
const TARGET_RATIO = 1.3;
const ROOT = join(__dirname, '..');

type Variant = 'full' | 'one-container';
const APPS: Record<Variant, { entry: string; stack: string }> = {
  full: { entry: 'main.ts', stack: 'stock-tracker-monitoring' },
  'one-container': { entry: 'tools/one-container-app.ts', stack: 'one-container' },
};

type Way = 'cdktf synth' | 'app process';
function command(way: Way, variant: Variant, outdir: string): [string, string[]] {
  const entry = APPS[variant].entry;
  return way === 'cdktf synth'
    ? [
        join(ROOT, 'node_modules', '.bin', 'cdktf'),
        ['synth', '--app', `npx ts-node --transpile-only ${entry}`, '--output', outdir],
      ]
    : [process.execPath, ['-r', 'ts-node/register/transpile-only', entry]];
}

/** Wall time of one synth, in ms; fails unless the stack's cdk.tf.json was written. */
function timeOnce(way: Way, variant: Variant): number {
  const outdir = mkdtempSync(join(tmpdir(), `stm-bench-${variant}-`));
  try {
    const [file, args] = command(way, variant, outdir);
    const started = process.hrtime.bigint();
    const result = spawnSync(file, args, {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    const written = join(outdir, 'stacks', APPS[variant].stack, 'cdk.tf.json');
    if (result.status !== 0 || !existsSync(written))
      throw new Error(`${way} of ${variant} failed:\n${result.stdout}\n${result.stderr}`);
    return elapsed;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bench(way: Way): number {
  timeOnce(way, 'one-container'); // warm the file system cache; not counted
  const times: Record<Variant, number[]> = { full: [], 'one-container': [] };
  for (let i = 0; i < RUNS; i++) {
    times['one-container'].push(timeOnce(way, 'one-container'));
    times.full.push(timeOnce(way, 'full'));
  }
  const [one, full] = [median(times['one-container']), median(times.full)];
  const list = (variant: Variant) => times[variant].map((t) => t.toFixed(0)).join(', ');
  console.log(`${way}:`);
  console.log(`  one-container  median ${one.toFixed(0)} ms  (${list('one-container')})`);
  console.log(`  full stack     median ${full.toFixed(0)} ms  (${list('full')})`);
  console.log(`  ratio ${(full / one).toFixed(2)}x`);
  return full / one;
}

const appRatio = bench('app process');
const cliRatio = bench('cdktf synth');
console.log(
  `\nfull/one-container synth ratio: ${cliRatio.toFixed(2)}x through cdktf synth (target < ${TARGET_RATIO}x: ${cliRatio < TARGET_RATIO ? 'met' : 'NOT met'}); app process alone ${appRatio.toFixed(2)}x`,
);
