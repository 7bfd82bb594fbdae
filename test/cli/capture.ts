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

/** main() with the check command rooted at dir (process.chdir is not allowed in vitest workers). */
export async function checkIn(dir: string, args: string[], io: CliIO): Promise<number> {
  const { Command, CommanderError } = await import('commander');
  const { makeCheckRegistrar } = await import('../../src/cli/check.js');
  const { UsageError } = await import('../../src/cli/errors.js');
  let exit = 0;
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  makeCheckRegistrar({ cwd: dir })(program, io, (c) => (exit = Math.max(exit, c)));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      io.stderr(`wideproof: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return exit;
}
