/**
 * Rates (`rate`, `like`, `at_most`) are power laws in the width n and the
 * number of inputs m: coef * n^expN * m^expM with coef > 0.
 */
import { WideproofError } from '../core/index.js';
import { nodeToken, type Expr } from '../expr/index.js';
import { FLOAT64, makeEvaluator } from '../expr/index.js';

export interface PowerLaw {
  coef: number;
  expN: number;
  expM: number;
}

export class PowerLawError extends WideproofError {
  /** `offset`: 0-based offset into the expression text, when known. */
  constructor(message: string, offset: number | undefined, token?: string) {
    super(message, { offset, token });
  }
}

const NOT = 'rate is not a power law in n and m';

/** Thrown inside evalConstant when the expression is not a constant of its kind. */
class NotConstant extends Error {}

/** Constants of rates: the float64 tree evaluator without variables and with sqrt as the only function. */
const constantValue = makeEvaluator(FLOAT64, {
  builtins: new Set(['sqrt']),
  fail: () => {
    throw new NotConstant();
  },
});

/** The value of a constant expression (numbers, pi, e, + - * / ^, sqrt), or null. */
export function evalConstant(e: Expr): number | null {
  try {
    return constantValue(e);
  } catch (err) {
    if (err instanceof NotConstant) return null;
    throw err;
  }
}

/** Reads a power law; throws PowerLawError (with the offending node's offset) otherwise. */
export function parsePowerLaw(e: Expr): PowerLaw {
  const r = walk(e);
  if (!Number.isFinite(r.coef) || r.coef <= 0 || !Number.isFinite(r.expN) || !Number.isFinite(r.expM)) {
    throw new PowerLawError(`${NOT}: its constant factor must be a finite positive number`, e.start);
  }
  // Normalize -0 to 0.
  return { coef: r.coef, expN: r.expN + 0, expM: r.expM + 0 };
}

function walk(e: Expr): PowerLaw {
  switch (e.type) {
    case 'num':
      if (!(e.value > 0) || !Number.isFinite(e.value)) throw new PowerLawError(`${NOT}: constants must be positive`, e.start, String(e.value));
      return { coef: e.value, expN: 0, expM: 0 };
    case 'sym':
      if (e.name === 'n') return { coef: 1, expN: 1, expM: 0 };
      if (e.name === 'm') return { coef: 1, expN: 0, expM: 1 };
      if (e.name === 'pi') return { coef: Math.PI, expN: 0, expM: 0 };
      if (e.name === 'e') return { coef: Math.E, expN: 0, expM: 0 };
      throw new PowerLawError(`${NOT}: only n, m and positive constants may appear`, e.start, e.name);
    case 'bin': {
      if (e.op === '*' || e.op === '/') {
        const a = walk(e.left);
        const b = walk(e.right);
        return e.op === '*'
          ? { coef: a.coef * b.coef, expN: a.expN + b.expN, expM: a.expM + b.expM }
          : { coef: a.coef / b.coef, expN: a.expN - b.expN, expM: a.expM - b.expM };
      }
      if (e.op === '^') {
        const p = evalConstant(e.right);
        if (p === null || !Number.isFinite(p)) throw new PowerLawError(`${NOT}: exponents must be constants`, e.right.start ?? e.start, nodeToken(e.right));
        const a = walk(e.left);
        return { coef: Math.pow(a.coef, p), expN: a.expN * p, expM: a.expM * p };
      }
      throw new PowerLawError(`${NOT}: '${e.op}' is not allowed (only products, quotients, powers and sqrt)`, e.start, e.op);
    }
    case 'call':
      if (e.fn === 'sqrt' && e.args.length === 1) {
        const a = walk(e.args[0]!);
        return { coef: Math.sqrt(a.coef), expN: a.expN / 2, expM: a.expM / 2 };
      }
      throw new PowerLawError(`${NOT}: function '${e.fn}' is not allowed (only sqrt)`, e.start, e.fn);
    case 'neg':
      throw new PowerLawError(`${NOT}: it must be positive`, e.start, '-');
    default:
      throw new PowerLawError(NOT, e.start, nodeToken(e));
  }
}
