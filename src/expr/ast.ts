/**
 * The expression language's own AST. User text is parsed by mathjs's parser
 * only, then converted (and allow-listed) into this small, closed set of
 * node types; nothing downstream ever sees a mathjs node or user-chosen
 * JavaScript identifiers. Positions are character offsets into the source
 * text (0-based) where known.
 */
export type Expr =
  | NumNode
  | SymNode
  | UnaryNode
  | BinaryNode
  | CallNode
  | ExpectNode
  | DiffNode
  | MatrixNode;

export interface Pos {
  /** 0-based character offset of the node's first token in the source text, when known. */
  start?: number;
}

export interface NumNode extends Pos {
  type: 'num';
  value: number;
}

/** A variable, a constant (`pi`, `e`), or a user-defined constant. */
export interface SymNode extends Pos {
  type: 'sym';
  name: string;
}

export interface UnaryNode extends Pos {
  type: 'neg';
  arg: Expr;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '.*';

export interface BinaryNode extends Pos {
  type: 'bin';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** A call of a built-in function (`sqrt`, `erf`, `relu`, ...) or of a user-defined function. */
export interface CallNode extends Pos {
  type: 'call';
  fn: string;
  args: Expr[];
}

/** `E[body]`: a Gaussian expectation over the claim's declared Gaussian variables. */
export interface ExpectNode extends Pos {
  type: 'expect';
  body: Expr;
}

/** `diff(body, v)`: the derivative of body with respect to the variable v. */
export interface DiffNode extends Pos {
  type: 'diff';
  body: Expr;
  variable: string;
}

/** `[[a, c], [c, b]]`: only meaningful in Gaussian declarations. */
export interface MatrixNode extends Pos {
  type: 'matrix';
  rows: Expr[][];
}

export const num = (value: number): NumNode => ({ type: 'num', value });
export const sym = (name: string): SymNode => ({ type: 'sym', name });
export const neg = (arg: Expr): UnaryNode => ({ type: 'neg', arg });
export const bin = (op: BinaryOp, left: Expr, right: Expr): BinaryNode => ({ type: 'bin', op, left, right });
export const call = (fn: string, ...args: Expr[]): CallNode => ({ type: 'call', fn, args });

/**
 * The direct sub-expressions of a node, in source order (left to right; a
 * matrix row by row). Leaves (numbers, symbols) have none. This and
 * `mapChildren` are the only places that know each node type's shape: walkers
 * are written on top of them.
 */
export function children(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'num':
    case 'sym':
      return [];
    case 'neg':
      return [e.arg];
    case 'bin':
      return [e.left, e.right];
    case 'call':
      return e.args;
    case 'expect':
    case 'diff':
      return [e.body];
    case 'matrix':
      return e.rows.flat();
  }
}

/**
 * The node with every direct child replaced by `f(child)`; all other fields
 * (operator, name, variable, position) are kept. Returns `e` itself when no
 * child changed (by identity), so unchanged subtrees stay shared.
 */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.type) {
    case 'num':
    case 'sym':
      return e;
    case 'neg': {
      const arg = f(e.arg);
      return arg === e.arg ? e : { ...e, arg };
    }
    case 'bin': {
      const left = f(e.left);
      const right = f(e.right);
      return left === e.left && right === e.right ? e : { ...e, left, right };
    }
    case 'call': {
      const args = mapSame(e.args, f);
      return args === e.args ? e : { ...e, args };
    }
    case 'expect':
    case 'diff': {
      const body = f(e.body);
      return body === e.body ? e : { ...e, body };
    }
    case 'matrix': {
      let changed = false;
      const rows = e.rows.map((r) => {
        const m = mapSame(r, f);
        if (m !== r) changed = true;
        return m;
      });
      return changed ? { ...e, rows } : e;
    }
  }
}

/** xs.map(f), or xs itself when every element maps to itself. */
function mapSame(xs: Expr[], f: (x: Expr) => Expr): Expr[] {
  let out: Expr[] | undefined;
  for (let i = 0; i < xs.length; i++) {
    const y = f(xs[i]!);
    if (out === undefined && y !== xs[i]) out = xs.slice(0, i);
    if (out !== undefined) out.push(y);
  }
  return out ?? xs;
}

/** True when `pred` holds at some node of e (e itself included), searched pre-order. */
export function someNode(e: Expr, pred: (x: Expr) => boolean): boolean {
  return pred(e) || children(e).some((c) => someNode(c, pred));
}

/** Calls `visit` at every node of e, pre-order (a node before its children, children left to right). */
export function forEachNode(e: Expr, visit: (x: Expr) => void): void {
  visit(e);
  for (const c of children(e)) forEachNode(c, visit);
}

/**
 * Post-order rewrite: every child is transformed first, then `f` is applied to
 * the node rebuilt from the transformed children. Unchanged subtrees are kept
 * by identity (see mapChildren).
 */
export function transform(e: Expr, f: (x: Expr) => Expr): Expr {
  return f(mapChildren(e, (c) => transform(c, f)));
}

/**
 * Number of nodes of the expanded expression tree (shared subtrees counted
 * each time). Counting stops once it exceeds `limit`, so the result is
 * min(size, limit + 1) when the tree is larger: callers test `> limit`.
 */
export function exprSize(e: Expr, limit = Infinity): number {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length > 0 && n <= limit) {
    const x = stack.pop() as Expr;
    n++;
    stack.push(...children(x));
  }
  return n;
}

/** The source token that heads a node (for error messages): number, name, function, operator, `E`, `diff` or `[`. */
export function nodeToken(e: Expr): string {
  switch (e.type) {
    case 'num':
      return String(e.value);
    case 'sym':
      return e.name;
    case 'call':
      return e.fn;
    case 'bin':
      return e.op;
    case 'neg':
      return '-';
    case 'expect':
      return 'E';
    case 'diff':
      return 'diff';
    case 'matrix':
      return '[';
  }
}

/** True when e contains a diff(...) node anywhere (also inside E[...] and matrices). */
export function containsDiff(e: Expr): boolean {
  return someNode(e, (x) => x.type === 'diff');
}

/** True when an E[...] node occurs anywhere in e (inside diff bodies and matrices too). */
export function containsExpect(e: Expr): boolean {
  return someNode(e, (x) => x.type === 'expect');
}

/** A user function of a scope: `name(params) = body`. */
export interface UserFunction {
  readonly name: string;
  readonly params: string[];
  readonly body: Expr;
}

/** The definitions an expression is read in (./scope.ts builds them; ./parse.ts reads calls against them). */
export interface Scope {
  readonly functions: ReadonlyMap<string, UserFunction>;
  readonly constants: ReadonlyMap<string, Expr>;
}
