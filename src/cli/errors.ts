/**
 * Errors that reach the user as a one-line message and exit code 2
 * (usage or input error). Anything else escaping a command is an internal error.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An input error located in a file: formats as `file:line:col: message`. */
export class InputError extends UsageError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(InputError.format(message, file, line, column));
    this.name = 'InputError';
  }

  static format(message: string, file?: string, line?: number, column?: number): string {
    if (!file) return message;
    const loc = [file, line, column].filter((p) => p !== undefined).join(':');
    return `${loc}: ${message}`;
  }
}
