/**
 * The error every expression-language failure raises: bad syntax, a name or
 * construct outside the allow-list, wrong arity, recursion, size limits.
 * `where.offset` is the 0-based character offset into the text that was parsed
 * (for define blocks: into the line; the constructor takes it as `column`),
 * `where.line` the 1-based line within a define block. The message already names the token and the position.
 */
import { WideproofError } from '../core/index.js';
export class ExprError extends WideproofError {
  constructor(message: string, info: { token?: string; column?: number; line?: number } = {}) {
    super(message, { token: info.token, offset: info.column, line: info.line });
  }
}

/** Builds an ExprError whose message ends with "at column N" (0-based) when the column is known. */
export function exprError(message: string, token?: string, column?: number): ExprError {
  const where = column === undefined ? '' : ` at column ${column}`;
  return new ExprError(`${message}${where}`, { token, column });
}

/** Size limits applied to every parsed expression. */
export interface ExprLimits {
  /** Maximum length of the text, in characters. */
  maxLength: number;
  /** Maximum nesting of ( ) and [ ]. */
  maxNesting: number;
  /** Maximum number of AST nodes in one parsed expression. */
  maxNodes: number;
  /** Maximum depth of the AST. */
  maxDepth: number;
  /**
   * Maximum size of an expression after expanding user definitions (counted,
   * never materialized); bounds compile size and evaluation time.
   */
  maxExpandedNodes: number;
}

export const DEFAULT_LIMITS: Readonly<ExprLimits> = Object.freeze({
  maxLength: 20_000,
  maxNesting: 200,
  maxNodes: 10_000,
  maxDepth: 1_000,
  maxExpandedNodes: 1_000_000,
});
