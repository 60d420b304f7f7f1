/**
 * Tar streams and archives through the system's `tar` (GNU tar or bsdtar: only flags both read),
 * which handles every header Docker's archives carry (PAX records, long names, hard links).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';

/** Runs `tar args`, feeding it `input`; rejects with its stderr when it fails. */
function runTar(args: string[], input?: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    if (input && child.stdin) {
      input.on('error', (error) => {
        child.kill();
        reject(error);
      });
      input.pipe(child.stdin);
    }
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`tar ${args.join(' ')} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

/** Extracts the tar stream `tar` into the existing directory `into`. */
export function extractTar(tar: Readable, into: string): Promise<void> {
  return runTar(['-x', '-f', '-', '-C', into], tar);
}

/**
 * The content of directory `dir` as a tar stream: its entries, not `dir` itself (extracted, the
 * stream leaves the target directory's owner and mode alone). The stream errors when tar fails.
 */
export function packTar(dir: string): Readable {
  const args = ['-c', '-f', '-', '-C', dir, '--', ...readdirSync(dir)];
  const child = spawn('tar', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('close', (code) => {
    if (code !== 0) child.stdout.destroy(new Error(`tar -c of ${dir} failed (${code}): ${stderr.trim()}`));
  });
  return child.stdout;
}

/** Writes `entries` of directory `dir` into the gzip-compressed archive `file`. */
export function createArchive(dir: string, entries: readonly string[], file: string): Promise<void> {
  return runTar(['-c', '-z', '-f', file, '-C', dir, ...entries]);
}

/** Extracts `entries` (all when none are named) of the gzip-compressed archive `file` into the existing directory `into`. */
export function extractArchive(file: string, into: string, entries: readonly string[] = []): Promise<void> {
  return runTar(['-x', '-z', '-f', file, '-C', into, ...entries]);
}
