/** A CliIO that records everything the CLI writes (shared by the CLI tests). */
import type { CliIO } from '../../src/cli/io.js';

export function capture(tty = false): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stderrIsTTY: tty,
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}
