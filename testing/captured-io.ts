/**
 * The output of a command-line tool run in-process (tests, drills): an `Io` as tools/cli.ts
 * defines it, without colours, that keeps what the tool writes; `stdout()` and `stderr()` return
 * the text written so far.
 */

/** What `capturedIo()` returns: the `Io` to hand the tool, and its output so far. */
export interface CapturedIo {
  io: {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown; isTTY?: boolean };
    color: false;
  };
  stdout(): string;
  stderr(): string;
}

/** A fresh captured output; `isTTY` is what the tool sees of its stderr (default: not a terminal). */
export function capturedIo(options: { isTTY?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY: options.isTTY },
      color: false,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
