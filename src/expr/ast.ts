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
    switch (x.type) {
      case 'neg':
        stack.push(x.arg);
        break;
      case 'bin':
        stack.push(x.left, x.right);
        break;
      case 'call':
        stack.push(...x.args);
        break;
      case 'expect':
      case 'diff':
        stack.push(x.body);
        break;
      case 'matrix':
        for (const r of x.rows) stack.push(...r);
        break;
      default:
        break;
    }
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
  switch (e.type) {
    case 'num':
    case 'sym':
      return false;
    case 'diff':
      return true;
    case 'neg':
      return containsDiff(e.arg);
    case 'bin':
      return containsDiff(e.left) || containsDiff(e.right);
    case 'call':
      return e.args.some(containsDiff);
    case 'expect':
      return containsDiff(e.body);
    case 'matrix':
      return e.rows.some((r) => r.some(containsDiff));
  }
}
