import { Command, CommanderError } from 'commander';
import { UsageError } from './errors.js';
import { packageVersion } from './version.js';
import { processIO, type CliIO, type CommandRegistrar } from './io.js';
import { registerKernel } from './kernel.js';
import { registerSimulate } from './simulate.js';
import { checkCommand } from './check.js';
import { registerDual } from './dual.js';

// Every built command is listed here, one import each (no stubs for unbuilt ones).
const registrars: CommandRegistrar[] = [registerKernel, registerSimulate, checkCommand, registerDual];


export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('wideproof')
    .description(
      'Checks derivations about wide neural networks with independent evidence:\n' +
        'symbolic algebra, numeric quadrature and random-point testing, and finite-width simulation.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });
  for (const register of registrars) register(program, io, setExit);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 claim(s) not as expected, 2 usage/input error). */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (c) => {
    exitCode = Math.max(exitCode, c);
  });
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return 0;
  }
  const first = argv[0]!;
  if (!first.startsWith('-') && !program.commands.some((c) => c.name() === first || c.aliases().includes(first))) {
    io.stderr(`error: unknown command '${first}' (see wideproof --help)\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" with exit code 0 under exitOverride
      if (err.exitCode === 0) return 0;
      return 2; // commander already printed a one-line message
    }
    if (err instanceof UsageError) {
      io.stderr(`wideproof: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
