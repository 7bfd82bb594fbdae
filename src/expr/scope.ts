/**
 * User definitions from ```define blocks: `name(params) = expr` and
 * `name = expr`, one per line, `#` comments.
 *
 * Rules:
 * - A definition may only use built-ins, its own parameters and names defined
 *   on earlier lines (or in `base`): recursion, direct or mutual, is therefore
 *   impossible; using its own name is reported as recursion.
 * - A function body may use only its parameters as variables; a constant's
 *   body may use no variables. `E[...]` and matrices are not allowed in
 *   definitions; `diff(expr, param)` is.
 * - Names must be new: no redefinition, no built-in or reserved names, and a
 *   parameter may not reuse a defined name.
 * - Every call is arity-checked at parse time.
 * Errors are ExprError with `line` (1-based within the block) and `column`
 * (0-based within that line).
 */
import { children, forEachNode, type DiffNode, type Expr, type Scope, type UserFunction } from './ast.js';
import { BUILTIN_CONSTANTS, isReservedName } from './builtins.js';
import { DEFAULT_LIMITS, ExprError } from './errors.js';
import { IDENTIFIER_RE, isForbiddenIdentifier, parseExpr } from './parse.js';

export type { Scope, UserFunction } from './ast.js';

export function emptyScope(): Scope {
  return { functions: new Map(), constants: new Map() };
}

function lineError(message: string, line: number, column: number | undefined, token?: string): ExprError {
  const where = column === undefined ? `line ${line}` : `line ${line}, column ${column}`;
  return new ExprError(`${message} (${where})`, { token, line, column });
}

/** Strips a `#` comment; returns the code part. */
function stripComment(line: string): string {
  const k = line.indexOf('#');
  return k < 0 ? line : line.slice(0, k);
}

/**
 * Parses a define block. Returns a new Scope extending `base` (which is not modified).
 */
export function parseDefinitions(text: string, base: Scope = emptyScope()): Scope {
  const functions = new Map(base.functions);
  const constants = new Map(base.constants);
  const scope: Scope = { functions, constants };
  const lines = text.split(/\r?\n/);
  if (text.length > DEFAULT_LIMITS.maxLength * 10) {
    throw new ExprError(`define block is too long (${text.length} characters)`, { line: 1, column: 0 });
  }
  const laterNames = new Set<string>();
  for (const raw of lines) {
    const mm = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\(|=)/.exec(stripComment(raw));
    if (mm) laterNames.add(mm[1]);
  }
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const code = stripComment(raw);
    if (code.trim() === '') return;
    const eq = code.indexOf('=');
    if (eq < 0) {
      throw lineError("a definition needs '=': write name(params) = expr or name = expr", lineNo, code.search(/\S/));
    }
    if (code[eq + 1] === '=') throw lineError("'==' is not a definition", lineNo, eq, '==');
    const lhs = code.slice(0, eq);
    const rhs = code.slice(eq + 1);
    const lhsStart = lhs.search(/\S/);
    if (lhsStart < 0) throw lineError('missing name before =', lineNo, eq, '=');
    const m = /^([^\s(]*)\s*(?:\(([^)]*)\))?\s*$/.exec(lhs.slice(lhsStart));
    const name = m?.[1] ?? '';
    if (!m || !IDENTIFIER_RE.test(name)) {
      const tok = lhs.slice(lhsStart).trim();
      throw lineError(`invalid left-hand side '${tok}': write name(params) = expr or name = expr`, lineNo, lhsStart, tok);
    }
    if (isForbiddenIdentifier(name) || isReservedName(name)) {
      throw lineError(`'${name}' is a built-in or reserved name and cannot be redefined`, lineNo, lhsStart, name);
    }
    if (functions.has(name) || constants.has(name)) {
      throw lineError(`'${name}' is already defined`, lineNo, lhsStart, name);
    }
    const isFunction = m[2] !== undefined;
    const params: string[] = [];
    if (isFunction) {
      const parenAt = lhs.indexOf('(');
      let off = parenAt + 1;
      const parts = (m[2] ?? '').split(',');
      if (parts.length === 1 && parts[0].trim() === '') {
        throw lineError(`function '${name}' needs at least one parameter (use '${name} = ...' for a constant)`, lineNo, parenAt, '(');
      }
      for (const part of parts) {
        const p = part.trim();
        const col = off + part.search(/\S|$/);
        off += part.length + 1;
        if (!IDENTIFIER_RE.test(p)) throw lineError(`invalid parameter name '${p}'`, lineNo, col, p);
        if (isForbiddenIdentifier(p) || isReservedName(p)) {
          throw lineError(`'${p}' is a built-in or reserved name and cannot be a parameter`, lineNo, col, p);
        }
        if (functions.has(p) || constants.has(p)) {
          throw lineError(`parameter '${p}' reuses the defined name '${p}'`, lineNo, col, p);
        }
        if (p === name) throw lineError(`parameter '${p}' reuses the function's own name`, lineNo, col, p);
        if (params.includes(p)) throw lineError(`duplicate parameter '${p}'`, lineNo, col, p);
        params.push(p);
      }
    }
    const rhsOffset = eq + 1;
    if (rhs.trim() === '') throw lineError(`missing expression after '='`, lineNo, eq, '=');
    let body: Expr;
    try {
      body = parseExpr(rhs, scope, { variables: params, allowExpect: false, allowMatrix: false });
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      const col = e.where.offset === undefined ? undefined : e.where.offset + rhsOffset;
      // Name the recursion precisely.
      if (e.where.token === name) {
        throw lineError(`recursive definition: '${name}' uses itself`, lineNo, col, name);
      }
      let msg = e.message.replace(/ at column \d+$/, '');
      if (e.where.token !== undefined && laterNames.has(e.where.token) && /^unknown (name|function)/.test(msg)) {
        msg += ` ('${e.where.token}' is defined on a later line; a definition may only use names defined before it, so recursion is impossible)`;
      }
      throw lineError(`in the definition of '${name}': ${msg}`, lineNo, col, e.where.token);
    }
    shiftPositions(body, rhsOffset);
    if (isFunction) functions.set(name, Object.freeze({ name, params, body }));
    else constants.set(name, body);
  });
  return scope;
}

/** Adds `delta` to every node's start (positions relative to the line instead of the right-hand side). */
function shiftPositions(e: Expr, delta: number): void {
  forEachNode(e, (x) => {
    if (x.start !== undefined) x.start += delta;
  });
}

// ---------------------------------------------------------------------------
// Size accounting and inlining

/** Node count of `e` after expanding user definitions (memoized per definition). */
export function expandedSize(e: Expr, scope: Scope, memo: Map<string, number> = new Map()): number {
  const sizeOf = (key: string, body: Expr): number => {
    let n = memo.get(key);
    if (n === undefined) {
      n = expandedSize(body, scope, memo);
      memo.set(key, n);
    }
    return n;
  };
  if (e.type === 'sym') {
    const c = scope.constants.get(e.name);
    return c === undefined || BUILTIN_CONSTANTS.has(e.name) ? 1 : sizeOf(`c:${e.name}`, c);
  }
  let n = 1;
  for (const c of children(e)) n += expandedSize(c, scope, memo);
  const f = e.type === 'call' ? scope.functions.get(e.fn) : undefined;
  if (f && e.type === 'call') n += sizeOf(`f:${e.fn}`, f.body);
  return n;
}

/** Throws when the expanded size of `e` exceeds the limit. */
export function checkExpandedSize(e: Expr, scope: Scope, limit: number = DEFAULT_LIMITS.maxExpandedNodes): number {
  const s = expandedSize(e, scope);
  if (s > limit) {
    throw new ExprError(
      `expression is too large after expanding definitions (${s.toExponential(2)} nodes; the limit is ${limit})`,
    );
  }
  return s;
}

export interface InlineOptions {
  /**
   * Eliminates a DiffNode (e.g. A2's `differentiate`). Needed only when a
   * user function's body contains diff(..., param) and the call's argument for
   * that parameter is not a plain variable that can simply be renamed.
   */
  differentiate?: (body: Expr, variable: string) => Expr;
  /** Size limit (default DEFAULT_LIMITS.maxExpandedNodes). */
  maxNodes?: number;
}

/** Free variables of `e`: symbols that are not pi/e (and not user constants of `scope` when given), and diff variables. */
export function freeVariables(e: Expr, scope?: Scope): Set<string> {
  const out = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.type === 'sym' && !BUILTIN_CONSTANTS.has(x.name) && !(scope?.constants.has(x.name) ?? false)) out.add(x.name);
    children(x).forEach(walk);
    // after the body's names: callers see the names in this order
    if (x.type === 'diff') out.add(x.variable);
  };
  walk(e);
  return out;
}

/**
 * Substitutes every user function call and user constant by its definition,
 * so that other engines see only built-ins. Positions are kept on the nodes
 * of `e` itself; inlined bodies carry no positions.
 */
export function inlineDefinitions(e: Expr, scope: Scope, opts: InlineOptions = {}): Expr {
  checkExpandedSize(e, scope, opts.maxNodes);
  return inline(e, scope, new Map(), opts, true);
}

function stripPos<T extends Expr>(x: T, keep: boolean): T {
  if (!keep && x.start !== undefined) delete x.start;
  return x;
}

/**
 * `env` maps the parameters of the function being expanded to their
 * (already inlined) argument expressions; empty at the top level.
 */
function inline(e: Expr, scope: Scope, env: Map<string, Expr>, opts: InlineOptions, keepPos: boolean): Expr {
  const pos = keepPos && e.start !== undefined ? { start: e.start } : {};
  switch (e.type) {
    case 'num':
      return { type: 'num', value: e.value, ...pos };
    case 'sym': {
      const bound = env.get(e.name);
      if (bound !== undefined) return bound;
      const c = scope.constants.get(e.name);
      if (c !== undefined) return inline(c, scope, new Map(), opts, false);
      return { type: 'sym', name: e.name, ...pos };
    }
    case 'neg':
      return { type: 'neg', arg: inline(e.arg, scope, env, opts, keepPos), ...pos };
    case 'bin':
      return {
        type: 'bin',
        op: e.op,
        left: inline(e.left, scope, env, opts, keepPos),
        right: inline(e.right, scope, env, opts, keepPos),
        ...pos,
      };
    case 'call': {
      const args = e.args.map((a) => inline(a, scope, env, opts, keepPos));
      const f = scope.functions.get(e.fn);
      if (!f) return { type: 'call', fn: e.fn, args, ...pos };
      if (args.length !== f.params.length) {
        throw new ExprError(`'${e.fn}' takes ${f.params.length} arguments, got ${args.length}`, {
          token: e.fn,
          column: e.start,
        });
      }
      const inner = new Map<string, Expr>();
      f.params.forEach((p, i) => inner.set(p, args[i]));
      return inline(f.body, scope, inner, opts, false);
    }
    case 'expect':
      return { type: 'expect', body: inline(e.body, scope, env, opts, keepPos), ...pos };
    case 'matrix':
      return { type: 'matrix', rows: e.rows.map((r) => r.map((c) => inline(c, scope, env, opts, keepPos))), ...pos };
    case 'diff':
      return inlineDiff(e, scope, env, opts, keepPos);
  }
}

function inlineDiff(e: DiffNode, scope: Scope, env: Map<string, Expr>, opts: InlineOptions, keepPos: boolean): Expr {
  const pos = keepPos && e.start !== undefined ? { start: e.start } : {};
  const bound = env.get(e.variable);
  if (bound === undefined) {
    // The variable belongs to the caller's namespace: substitute inside only.
    return { type: 'diff', body: inline(e.body, scope, env, opts, keepPos), variable: e.variable, ...pos };
  }
  // diff(body, p) inside a user function, p bound to an argument expression.
  if (bound.type === 'sym') {
    const others = [...env.entries()].filter(([k]) => k !== e.variable);
    const clash = others.some(([, v]) => freeVariables(v).has(bound.name));
    if (!clash) {
      const inner = new Map(env);
      return { type: 'diff', body: inline(e.body, scope, inner, opts, false), variable: bound.name };
    }
  }
  if (!opts.differentiate) {
    throw new ExprError(
      `diff(..., ${e.variable}) inside a definition is called with an argument that is not a separate variable; ` +
        'differentiate the definition first',
      { token: 'diff', column: e.start },
    );
  }
  // Differentiate in the function's own namespace, then substitute.
  const local = new Map<string, Expr>();
  const body = inline(e.body, scope, local, opts, false);
  const d = opts.differentiate(body, e.variable);
  return inline(stripPos(d, false), scope, env, opts, false);
}
