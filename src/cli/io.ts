import type { Command } from 'commander';

/** The edge between commands and the process: output streams, injectable for tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress displays are shown only then. */
  stderrIsTTY: boolean;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/**
 * A command adds itself to the program. `setExit` raises the process exit code
 * (the final code is the maximum requested).
 */
export type CommandRegistrar = (program: Command, io: CliIO, setExit: (code: number) => void) => void;
