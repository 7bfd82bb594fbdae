/**
 * Parsing of user expressions (SPEC section 2).
 *
 * 1. A pre-scan of the raw text (our own tokenizer) enforces the length and
 *    bracket-nesting limits and rejects every character outside the syntax
 *    (strings, `;`, `=`, `?`, `:`, `!`, `'`, comparisons, property access
 *    `a.b`, elementwise operators other than `.*`, non-ASCII names, hex
 *    literals) before mathjs ever sees the text, so hostile input fails fast.
 * 2. `mathjs.parse` (parse only: nothing is ever evaluated) builds its tree.
 * 3. An allow-list walk converts the mathjs tree into our own AST (ast.ts).
 *    Anything not explicitly allowed is an ExprError naming the token and
 *    its 0-based column.
 *
 * Decisions:
 * - Implicit multiplication (`2x`, `a b`, `(a)(b)`) is rejected with a message
 *   asking for an explicit `*`: mathjs gives it surprising precedence
 *   (`1/2x` = (1/2)*x).
 * - Names of JavaScript object internals (`constructor`, `__proto__`,
 *   `prototype`, anything starting with `__`, ...) are reserved and rejected.
 * - Newlines, tabs and carriage returns count as spaces.
 * - `E[...]` takes exactly one expression; `diff(expr, v)` takes a variable
 *   name as its second argument.
 * - A constant power of two literals that overflows (`999999999^999999999`)
 *   is an error, not Infinity.
 */
import { parse as mathParse } from 'mathjs';
import type { BinaryOp, Expr } from './ast.js';
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, arityText, isReservedName } from './builtins.js';
import { DEFAULT_LIMITS, ExprError, exprError, type ExprLimits } from './errors.js';
import type { Scope } from './ast.js';

export { ExprError } from './errors.js';

export interface ParseOptions {
  /**
   * The variable names the expression may use. When omitted, any name that is
   * not built-in, not user-defined and not reserved is accepted as a variable.
   */
  variables?: Iterable<string>;
  /** Accept `E[...]` (default true). */
  allowExpect?: boolean;
  /** Accept `diff(expr, v)` (default true). */
  allowDiff?: boolean;
  /** Accept matrices `[[a, c], [c, b]]` (default true). */
  allowMatrix?: boolean;
  /** Override size limits. */
  limits?: Partial<ExprLimits>;
}

/** Names that could reach JavaScript object internals; never valid identifiers here. */
const JS_RESERVED = new Set([
  'constructor',
  'prototype',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  'eval',
  'Function',
  'globalThis',
  'window',
  'process',
  'require',
  'import',
  'this',
  'arguments',
  'undefined',
  'NaN',
  'Infinity',
]);

/** True for names the language never accepts as user names (JS internals). */
export function isForbiddenIdentifier(name: string): boolean {
  return name.startsWith('__') || JS_RESERVED.has(name);
}

export const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

// ---------------------------------------------------------------------------
// Pre-scan tokenizer

type TokKind = 'id' | 'num' | 'op' | 'open' | 'close' | 'comma';
interface Token {
  kind: TokKind;
  text: string;
  start: number;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdChar = (c: string): boolean => isIdStart(c) || isDigit(c);

const FORBIDDEN_CHAR_MESSAGES: Record<string, string> = {
  '"': 'string literals are not allowed',
  "'": "string literals and transpose (') are not allowed",
  '`': 'unexpected character',
  ';': 'only one expression is allowed (unexpected \';\')',
  '=': 'assignment and comparison are not allowed here',
  '<': 'comparisons are not allowed',
  '>': 'comparisons are not allowed',
  '!': "'!' (factorial / not) is not allowed",
  '?': 'conditional expressions are not allowed',
  ':': 'ranges and conditional expressions are not allowed',
  '&': 'logical and bitwise operators are not allowed',
  '|': 'logical and bitwise operators are not allowed',
  '%': "'%' (percent / modulo) is not allowed",
  '{': 'objects are not allowed',
  '}': 'objects are not allowed',
  '#': 'comments are not allowed inside an expression',
  '@': 'unexpected character',
  $: 'unexpected character',
  '\\': 'unexpected character',
  '~': 'unexpected character',
};

function tokenize(text: string, limits: ExprLimits): Token[] {
  if (text.length > limits.maxLength) {
    throw new ExprError(`expression is too long (${text.length} characters; the limit is ${limits.maxLength})`, {
      column: limits.maxLength,
    });
  }
  const toks: Token[] = [];
  const stack: { c: string; start: number }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(text[i + 1]))) {
      const start = i;
      while (i < n && isDigit(text[i])) i++;
      if (text[i] === '.' && text[i + 1] !== '*') {
        i++;
        while (i < n && isDigit(text[i])) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        let j = i + 1;
        if (text[j] === '+' || text[j] === '-') j++;
        if (j < n && isDigit(text[j])) {
          i = j;
          while (i < n && isDigit(text[i])) i++;
        }
      }
      if (i < n && (isIdChar(text[i]) || text[i] === '.') && !(text[i] === '.' && text[i + 1] === '*')) {
        let j = i;
        while (j < n && (isIdChar(text[j]) || text[j] === '.')) j++;
        const tok = text.slice(start, j);
        throw exprError(
          `malformed number or implicit multiplication '${tok}' (write an explicit '*', e.g. 2*x)`,
          tok,
          start,
        );
      }
      toks.push({ kind: 'num', text: text.slice(start, i), start });
      continue;
    }
    if (isIdStart(c)) {
      const start = i;
      while (i < n && isIdChar(text[i])) i++;
      toks.push({ kind: 'id', text: text.slice(start, i), start });
      continue;
    }
    if (c === '+' || c === '-' || c === '*' || c === '/' || c === '^') {
      toks.push({ kind: 'op', text: c, start: i });
      i++;
      continue;
    }
    if (c === '.') {
      if (text[i + 1] === '*') {
        toks.push({ kind: 'op', text: '.*', start: i });
        i += 2;
        continue;
      }
      const next = text[i + 1];
      if (next === '/' || next === '^') {
        throw exprError(`elementwise operator '.${next}' is not allowed (only '.*')`, `.${next}`, i);
      }
      throw exprError("unexpected '.' (property access is not allowed)", '.', i);
    }
    if (c === '(' || c === '[') {
      stack.push({ c, start: i });
      if (stack.length > limits.maxNesting) {
        throw exprError(`brackets are nested too deeply (the limit is ${limits.maxNesting})`, c, i);
      }
      toks.push({ kind: 'open', text: c, start: i });
      i++;
      continue;
    }
    if (c === ')' || c === ']') {
      const top = stack.pop();
      if (!top) throw exprError(`unmatched '${c}'`, c, i);
      const want = top.c === '(' ? ')' : ']';
      if (c !== want) throw exprError(`'${c}' does not match '${top.c}' at column ${top.start}`, c, i);
      toks.push({ kind: 'close', text: c, start: i });
      i++;
      continue;
    }
    if (c === ',') {
      toks.push({ kind: 'comma', text: c, start: i });
      i++;
      continue;
    }
    const msg = FORBIDDEN_CHAR_MESSAGES[c];
    if (msg !== undefined) throw exprError(`${msg} ('${c}')`, c, i);
    const cp = text.codePointAt(i) ?? 0;
    const shown = String.fromCodePoint(cp);
    throw exprError(
      `unexpected character '${shown}' (names use ASCII letters, digits and _)`,
      shown,
      i,
    );
  }
  if (stack.length > 0) {
    const top = stack[stack.length - 1];
    throw exprError(`unclosed '${top.c}'`, top.c, top.start);
  }
  if (toks.length === 0) throw new ExprError('empty expression', { column: 0 });
  return toks;
}

// ---------------------------------------------------------------------------
// Allow-list conversion of the mathjs tree

/** Minimal structural view of the mathjs nodes we read (duck-typed, no mathjs types leak). */
interface MNode {
  type: string;
  [k: string]: unknown;
}

const BIN_OPS: Record<string, BinaryOp> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  dotMultiply: '.*',
};

const NODE_MESSAGES: Record<string, string> = {
  AssignmentNode: 'assignment is not allowed',
  FunctionAssignmentNode: 'function definitions belong in a define block',
  ConditionalNode: 'conditional expressions are not allowed',
  RangeNode: 'ranges are not allowed',
  BlockNode: 'only one expression is allowed',
  RelationalNode: 'comparisons are not allowed',
  ObjectNode: 'objects are not allowed',
  IndexNode: 'indexing is not allowed',
};

class Converter {
  private cursor = 0;
  private nodes = 0;
  private readonly vars: Set<string> | undefined;

  constructor(
    private readonly toks: Token[],
    private readonly scope: Scope | undefined,
    private readonly opts: ParseOptions,
    private readonly limits: ExprLimits,
  ) {
    this.vars = opts.variables === undefined ? undefined : new Set(opts.variables);
  }

  /** Position of the next token (from the cursor on) with this text; advances the cursor. */
  private take(text: string): number | undefined {
    for (let k = this.cursor; k < this.toks.length; k++) {
      if (this.toks[k].text === text) {
        this.cursor = k + 1;
        return this.toks[k].start;
      }
    }
    return undefined;
  }

  /** Start of the next operand token (identifier, number or opening bracket) without consuming it. */
  private peekOperand(): { text: string; start: number } | undefined {
    for (let k = this.cursor; k < this.toks.length; k++) {
      const t = this.toks[k];
      if (t.kind === 'id' || t.kind === 'num' || t.kind === 'open') return t;
    }
    return undefined;
  }

  private count(start: number | undefined): void {
    if (++this.nodes > this.limits.maxNodes) {
      throw exprError(`expression is too large (more than ${this.limits.maxNodes} nodes)`, undefined, start);
    }
  }

  private isVariable(name: string): boolean {
    return this.vars === undefined ? true : this.vars.has(name);
  }

  convert(node: MNode, depth: number): Expr {
    if (depth > this.limits.maxDepth) {
      throw exprError(
        `expression is nested too deeply (the limit is ${this.limits.maxDepth} levels; a chain a+b+c+... counts one level per term)`,
      );
    }
    switch (node.type) {
      case 'ParenthesisNode':
        return this.convert(node.content as MNode, depth);
      case 'ConstantNode':
        return this.constant(node);
      case 'SymbolNode':
        return this.symbol(node.name as string);
      case 'OperatorNode':
        return this.operator(node, depth);
      case 'FunctionNode':
        return this.functionCall(node, depth);
      case 'AccessorNode':
        return this.accessor(node, depth);
      case 'ArrayNode':
        return this.matrix(node, depth);
      default: {
        const msg = NODE_MESSAGES[node.type] ?? `unsupported construct (${node.type})`;
        const t = this.peekOperand();
        throw exprError(msg, t?.text, t?.start);
      }
    }
  }

  private constant(node: MNode): Expr {
    const v = node.value;
    if (typeof v === 'number') {
      const start = this.takeKind('num');
      const tokText = start === undefined ? String(v) : this.tokenAt(start);
      if (!Number.isFinite(v)) throw exprError(`number '${tokText}' is out of range`, tokText, start);
      this.count(start);
      return { type: 'num', value: v, start };
    }
    if (typeof v === 'string') {
      throw exprError('string literals are not allowed', v);
    }
    // true, false, null, undefined: mathjs keywords, not part of the language
    const name = String(v);
    const start = this.take(name);
    throw exprError(`unknown name '${name}'`, name, start);
  }

  private tokenAt(start: number): string {
    const t = this.toks.find((x) => x.start === start);
    return t ? t.text : '';
  }

  private takeKind(kind: TokKind): number | undefined {
    for (let k = this.cursor; k < this.toks.length; k++) {
      if (this.toks[k].kind === kind) {
        this.cursor = k + 1;
        return this.toks[k].start;
      }
    }
    return undefined;
  }

  private symbol(name: string): Expr {
    const start = this.take(name);
    this.checkName(name, start);
    if (name === 'E') throw exprError("'E' is the expectation: write E[expr]", name, start);
    if (name === 'diff') throw exprError("'diff' is a function: write diff(expr, variable)", name, start);
    if (BUILTIN_FUNCTIONS.has(name) || this.scope?.functions.has(name)) {
      throw exprError(`'${name}' is a function: call it as ${name}(...)`, name, start);
    }
    if (BUILTIN_CONSTANTS.has(name) || this.scope?.constants.has(name) || this.isVariable(name)) {
      this.count(start);
      return { type: 'sym', name, start };
    }
    throw exprError(`unknown name '${name}'`, name, start);
  }

  private checkName(name: string, start: number | undefined): void {
    if (!IDENTIFIER_RE.test(name)) throw exprError(`invalid name '${name}'`, name, start);
    if (isForbiddenIdentifier(name)) throw exprError(`'${name}' is a reserved name`, name, start);
  }

  private operator(node: MNode, depth: number): Expr {
    const op = node.op as string;
    const fn = node.fn as string;
    const args = node.args as MNode[];
    if (node.implicit === true) {
      // convert the left operand first (its own errors come first, and the cursor moves past it)
      this.convert(args[0], depth + 1);
      const t = this.peekOperand();
      throw exprError(
        `implicit multiplication is not allowed (write an explicit '*')`,
        t?.text,
        t?.start,
      );
    }
    if (args.length === 1) {
      if (fn === 'unaryMinus' || fn === 'unaryPlus') {
        const start = this.take(op);
        this.count(start);
        const arg = this.convert(args[0], depth + 1);
        if (fn === 'unaryPlus') return arg;
        return { type: 'neg', arg, start };
      }
      const start = this.take(op);
      throw exprError(`operator '${op}' is not allowed`, op, start);
    }
    const bop = BIN_OPS[fn];
    if (bop === undefined || args.length !== 2) {
      // convert the left side first so the cursor points at the operator
      if (args.length === 2) this.convert(args[0], depth + 1);
      const start = this.take(op);
      throw exprError(`operator '${op}' is not allowed`, op, start);
    }
    const left = this.convert(args[0], depth + 1);
    const opStart = this.take(bop);
    this.count(opStart);
    const right = this.convert(args[1], depth + 1);
    if (bop === '^' && left.type === 'num' && right.type === 'num') {
      const v = Math.pow(left.value, right.value);
      if (!Number.isFinite(v)) {
        throw exprError(
          `the constant power ${left.value}^${right.value} is not a finite number`,
          '^',
          opStart,
        );
      }
    }
    return { type: 'bin', op: bop, left, right, start: left.start };
  }

  private functionCall(node: MNode, depth: number): Expr {
    const fnNode = node.fn as MNode;
    const args = node.args as MNode[];
    if (fnNode.type !== 'SymbolNode') {
      const t = this.peekOperand();
      throw exprError('only named functions can be called', t?.text, t?.start);
    }
    const name = fnNode.name as string;
    const start = this.take(name);
    this.checkName(name, start);
    this.count(start);
    if (name === 'diff') {
      if (this.opts.allowDiff === false) throw exprError("'diff' is not allowed here", name, start);
      if (args.length !== 2) {
        throw exprError(`'diff' takes 2 arguments (expression, variable), got ${args.length}`, name, start);
      }
      const body = this.convert(args[0], depth + 1);
      let vNode = args[1];
      while (vNode.type === 'ParenthesisNode') vNode = vNode.content as MNode;
      if (vNode.type !== 'SymbolNode') {
        const t = this.peekOperand();
        throw exprError("the second argument of 'diff' must be a variable name", t?.text, t?.start);
      }
      const vName = vNode.name as string;
      const vStart = this.take(vName);
      this.checkName(vName, vStart);
      if (isReservedName(vName) || this.scope?.constants.has(vName) || this.scope?.functions.has(vName) || !this.isVariable(vName)) {
        throw exprError(`'${vName}' is not a variable that 'diff' can differentiate by`, vName, vStart);
      }
      return { type: 'diff', body, variable: vName, start };
    }
    if (name === 'E') throw exprError('the expectation takes square brackets: E[expr]', name, start);
    const builtin = BUILTIN_FUNCTIONS.get(name);
    const user = this.scope?.functions.get(name);
    if (builtin) {
      if (args.length < builtin.minArgs || args.length > builtin.maxArgs) {
        throw exprError(
          `'${name}' takes ${arityText(builtin.minArgs, builtin.maxArgs)}, got ${args.length}`,
          name,
          start,
        );
      }
    } else if (user) {
      if (args.length !== user.params.length) {
        throw exprError(
          `'${name}' takes ${arityText(user.params.length, user.params.length)}, got ${args.length}`,
          name,
          start,
        );
      }
    } else if (BUILTIN_CONSTANTS.has(name) || this.scope?.constants.has(name) || this.vars?.has(name)) {
      throw exprError(`'${name}' is not a function (write '${name}*(...)' to multiply)`, name, start);
    } else {
      throw exprError(`unknown function '${name}'`, name, start);
    }
    const out: Expr[] = args.map((a) => this.convert(a, depth + 1));
    return { type: 'call', fn: name, args: out, start };
  }

  private accessor(node: MNode, depth: number): Expr {
    const obj = node.object as MNode;
    const index = node.index as MNode;
    if (obj.type !== 'SymbolNode' || obj.name !== 'E') {
      const t = this.peekOperand();
      throw exprError('indexing is not allowed (only E[expr])', t?.text, t?.start);
    }
    const start = this.take('E');
    this.count(start);
    if (this.opts.allowExpect === false) throw exprError('E[...] is not allowed here', 'E', start);
    const dims = (index.dimensions as MNode[] | undefined) ?? [];
    if (index.dotNotation === true || dims.length !== 1) {
      throw exprError(`E[...] takes exactly one expression, got ${dims.length}`, 'E', start);
    }
    const body = this.convert(dims[0], depth + 1);
    return { type: 'expect', body, start };
  }

  private matrix(node: MNode, depth: number): Expr {
    const start = this.take('[');
    this.count(start);
    if (this.opts.allowMatrix === false) throw exprError('matrices are not allowed here', '[', start);
    const items = node.items as MNode[];
    if (items.length === 0) throw exprError('empty matrix', '[', start);
    const nested = items.map((it) => it.type === 'ArrayNode');
    if (nested.every((x) => x)) {
      const rows: Expr[][] = [];
      for (const row of items) {
        const rowStart = this.take('[');
        const cells = row.items as MNode[];
        for (const c of cells) {
          if (c.type === 'ArrayNode') throw exprError('matrices have at most 2 dimensions', '[', rowStart);
        }
        rows.push(cells.map((c) => this.convert(c, depth + 2)));
      }
      const w = rows[0].length;
      if (w === 0 || rows.some((r) => r.length !== w)) {
        throw exprError('matrix rows must be non-empty and of equal length', '[', start);
      }
      return { type: 'matrix', rows, start };
    }
    if (nested.some((x) => x)) throw exprError('mixed matrix rows and entries', '[', start);
    return { type: 'matrix', rows: [items.map((c) => this.convert(c, depth + 1))], start };
  }
}

function mergeLimits(l?: Partial<ExprLimits>): ExprLimits {
  return { ...DEFAULT_LIMITS, ...(l ?? {}) };
}

/**
 * Parses one expression into the AST, enforcing the allow-list and the limits.
 * Throws ExprError (never anything else) for any invalid input.
 */
export function parseExpr(text: string, scope?: Scope, opts: ParseOptions = {}): Expr {
  // YAML may hand over a bare number (e.g. `rhs: 2`): accept finite numbers as their text.
  const raw: unknown = text;
  if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (typeof raw !== 'string') throw new ExprError(`expression must be text, got ${raw === null ? 'null' : typeof raw}`);
  const limits = mergeLimits(opts.limits);
  if (opts.variables !== undefined) {
    for (const v of opts.variables) {
      if (!IDENTIFIER_RE.test(v) || isForbiddenIdentifier(v) || isReservedName(v)) {
        throw new ExprError(`'${v}' cannot be a variable name (invalid, built-in or reserved)`, { token: v });
      }
      if (scope?.constants.has(v) || scope?.functions.has(v)) {
        throw new ExprError(`variable '${v}' clashes with the definition of '${v}'`, { token: v });
      }
    }
  }
  const toks = tokenize(text, limits);
  let tree: MNode;
  try {
    // Whitespace other than ' ' is normalized (same length: columns are kept).
    tree = mathParse(text.replace(/[\t\n\r]/g, ' ')) as unknown as MNode;
  } catch (e) {
    if (e instanceof RangeError) {
      throw new ExprError('expression is nested too deeply', { column: 0 });
    }
    const msg = e instanceof Error ? e.message : String(e);
    const m = /\(char (\d+)\)/.exec(msg);
    const column = m ? Math.max(0, Number(m[1]) - 1) : undefined;
    const bare = msg.replace(/\s*\(char \d+\)/, '');
    const token = column === undefined ? undefined : column >= text.length ? 'end of expression' : text[column];
    throw exprError(`syntax error: ${bare}`, token, column);
  }
  try {
    return new Converter(toks, scope, opts, limits).convert(tree, 0);
  } catch (e) {
    if (e instanceof ExprError) throw e;
    if (e instanceof RangeError) throw new ExprError('expression is nested too deeply', { column: 0 });
    // Any other failure is reported as an expression error rather than escaping as a crash.
    throw new ExprError(`cannot read the expression: ${e instanceof Error ? e.message : String(e)}`);
  }
}
