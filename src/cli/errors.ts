/**
 * Errors that reach the user as a one-line message and exit code 2
 * (usage or input error). Anything else escaping a command is an internal error.
 */
import { formatWhere, WideproofError, type Where } from '../core/index.js';

export class UsageError extends WideproofError {
  readonly exitCode = 2;
  constructor(message: string, where: Where = {}) {
    super(message, where);
  }
}

/** An input error located in a file: formats as `file:line:col: message`. */
export class InputError extends UsageError {
  constructor(message: string, file?: string, line?: number, column?: number) {
    const where: Where = { file, line, column };
    const loc = formatWhere(where);
    super(loc ? `${loc}: ${message}` : message, where);
  }
}
