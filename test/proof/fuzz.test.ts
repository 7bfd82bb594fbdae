import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readProofFile } from '../../src/proof/reader.js';

const FIELD = fc.constantFrom('claim', 'kind', 'title', 'expect', 'tol', 'note', 'lhs', 'rhs', 'vars', 'given', 'gaussian', 'steps', 'network', 'of', 'to', 'rate', 'like', 'at_most', 'name', 'activation', 'depth', 'input_dim', 'inputs', 'widths', 'seeds', 'sigma_w', '__proto__', 'constructor', 'x');
const ATOM = fc.constantFrom('x', 'a', 'b', 'c', 'u', 'n', 'm', 'd', '1', '0', '2.5', '1e-9', 'pi', 'e', 'constructor', '__proto__', 'toString', 'process', 'globalThis', 'this', 'h(1, 1)', 'z(1,2)', 'P(1, z(1,1))', 'ntk(1, 2)', 'K(1,2)', 'Phi(0,1,1)', 'E[relu(u)]', 'sqrt(a*b)', 'diff(x^2, x)', 'relu(x)', 'sum(l, 0, d, Phi(l,1,2))', '[[a, c], [c, b]]');
const OP = fc.constantFrom(' + ', ' - ', ' * ', ' / ', '^', ' .* ', ', ', ' < ', ' == ', '(', ')', '[', ']', '.', ';', '=', '"', "'", '`', '#', ':', '{', '}', '&a ', '*a', '!tag ', '~', '\\', '\u00e9', '\n');
const EXPR = fc.array(fc.oneof({ weight: 3, arbitrary: ATOM }, { weight: 2, arbitrary: OP }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 8 }).map((xs) => xs.join(''));
const VALUE = fc.oneof(
  EXPR,
  EXPR.map((e) => JSON.stringify(e)),
  fc.constantFrom('identity', 'chain', 'exact', 'limit', 'scaling', 'law', 'holds', 'fails', 'relu', 'net', 'positive', '"(0, 1)"', '"[u, v] ~ N(0, [[1, 0], [0, 1]])"', '[64, 128]', '{x: real}', '3', '-1', '&a [1, 2]', '*a', '!!str 5', '|', '>-'),
);
const YAML_LINE = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(FIELD, VALUE).map(([k, v]) => `${k}: ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('  ', '  - ', '- '), VALUE).map(([p, v]) => p + v) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const FENCE = fc.constantFrom('```', '~~~', '````', '  ```', '    ```', '``');
const INFO = fc.constantFrom('claim', 'define', 'network', 'python', '', 'claim extra', 'Claim');
const BLOCK = fc.tuple(FENCE, INFO, fc.array(YAML_LINE, { maxLength: 10 }), fc.boolean()).map(([f, i, body, close]) => [f + i, ...body, ...(close ? [f.trim() === '``' ? '``' : f] : [])].join('\n'));
const DEFINE = fc.array(fc.tuple(fc.constantFrom('phi(x)', 'k', 's', 'f(a, b)', 'sqrt(x)', 'n', 'h(l,a)', 'q(', '__proto__'), EXPR).map(([l, r]) => `${l} = ${r}`), { maxLength: 4 }).map((ls) => ['```define', ...ls, '```'].join('\n'));
const PROSE = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('# Title', '<!-- comment', '-->', '> quote', ''));
const DOC = fc.array(fc.oneof({ weight: 3, arbitrary: BLOCK }, { weight: 1, arbitrary: DEFINE }, { weight: 2, arbitrary: PROSE }), { maxLength: 8 }).map((xs) => xs.join('\n'));

function checkResult(path: string, text: string): void {
  const r = readProofFile(path, text);
  expect(Array.isArray(r.errors)).toBe(true);
  const nLines = text.split(/\r\n|\r|\n/).length;
  for (const e of r.errors) {
    expect(e.file).toBe(path);
    expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= nLines + 1).toBe(true);
    expect(Number.isInteger(e.column) && e.column >= 1).toBe(true);
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
    // An internal error means some code path threw: that is a bug, not a user error.
    expect(e.message).not.toMatch(/internal error/);
  }
  if (r.errors.length === 0) expect(r.file).toBeDefined();
  else expect(r.file).toBeUndefined();
}

describe('fuzzing the proof-file reader', () => {
  it('random Markdown with random fences, YAML-ish bodies and expressions: a file or located errors, never a throw', () => {
    const before = Object.getOwnPropertyNames(globalThis).length;
    fc.assert(
      fc.property(DOC, (doc) => {
        checkResult('fuzz.md', doc);
      }),
      { numRuns: 400, seed: 20261129 },
    );
    expect(Object.getOwnPropertyNames(globalThis).length).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);

  it('random claim blocks built from the real vocabulary', () => {
    const claimDoc = fc
      .tuple(fc.array(fc.tuple(FIELD, VALUE), { maxLength: 8 }), fc.constantFrom('identity', 'chain', 'exact', 'limit', 'scaling', 'law'))
      .map(([fields, kind]) => '```network\nactivation: relu\ndepth: 2\ninput_dim: 3\n```\n```claim\nclaim: c\nkind: ' + kind + '\n' + fields.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n```\n');
    fc.assert(
      fc.property(claimDoc, (doc) => checkResult('c.md', doc)),
      { numRuns: 400, seed: 7 },
    );
  }, 60_000);

  it('arbitrary unicode text never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (t) => checkResult('u.md', '```claim\n' + t + '\n```')),
      { numRuns: 200, seed: 3 },
    );
  }, 60_000);

  it('prototype-polluting YAML keys are plain unknown fields', () => {
    const md = '```claim\nclaim: p\nkind: identity\nlhs: 1\nrhs: 1\n__proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\n```\n';
    const r = readProofFile('p.md', md);
    expect(r.errors.map((e) => e.message)).toEqual(["unknown field '__proto__' for an identity claim", "unknown field 'constructor' for an identity claim"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('expressions that look like code are errors naming the token, and nothing runs', () => {
    const cases: [string, string][] = [
      ['process.exit(1)', '.'],
      ['globalThis', 'globalThis'],
      ['require("fs")', '"'],
      ['constructor.constructor("return 1")()', '.'],
      ['this', 'this'],
    ];
    for (const [expr, tok] of cases) {
      const md = '```claim\nclaim: p\nkind: identity\nlhs: 1\nrhs: ' + JSON.stringify(expr) + '\n```\n';
      const r = readProofFile('p.md', md);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.token).toBe(tok);
      expect(r.errors[0]!.line).toBe(5);
    }
  });

  it('large inputs finish (deep brackets, long lines, many blocks)', () => {
    checkResult('big.md', '```claim\nclaim: c\nkind: identity\nlhs: ' + '('.repeat(5000) + 'x' + ')'.repeat(5000) + '\nrhs: 1\n```');
    checkResult('big.md', '```claim\nclaim: c\nkind: identity\nlhs: ' + 'x+'.repeat(20000) + 'x\nrhs: 1\n```');
    checkResult('big.md', Array.from({ length: 300 }, (_, i) => '```claim\nclaim: c' + i + '\nkind: chain\nvars: {x: real}\nsteps: [x, x + 0]\n```').join('\n'));
  }, 60_000);
});

describe('definitions that blow up when expanded', () => {
  it('interval and covariance checks stay bounded and do not report false errors', () => {
    const defs = ['f0(x) = x + 1', ...Array.from({ length: 40 }, (_, i) => `f${i + 1}(x) = f${i}(x) + f${i}(x)`)];
    const md = '```define\n' + defs.join('\n') + '\n```\n' + '```claim\nclaim: big\nkind: identity\nvars: {a: "(0, f40(1))", b: "(0, a)"}\ngaussian: "u ~ N(0, f40(1))"\nlhs: E[u^2]\nrhs: a + b\n```\n';
    const r = readProofFile('b.md', md);
    // Either the expression language rejects the definitions as too large, or the reader accepts the claim.
    for (const e of r.errors) expect(e.message).not.toMatch(/not a finite number|empty|semidefinite|internal error/);
  }, 30_000);
});

describe('valid claims built from grammars are accepted (no false rejections)', () => {
  const letrec = fc.letrec((tie) => ({
    math: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('x', 'y', '2', '0.5', 'pi', 'e'),
      fc.tuple(tie('math'), fc.constantFrom('+', '-', '*', '/', '^'), tie('math')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
      fc.tuple(fc.constantFrom('sin', 'exp', 'sqrt', 'relu', 'tanh', 'erf', 'abs', 'gelu'), tie('math')).map(([f, a]) => `${f}(${a})`),
      tie('math').map((a) => `-(${a})`),
    ),
    layer: fc.constantFrom('1', '2', 'd'),
    input: fc.constantFrom('1', '2', 'm'),
    vec: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(fc.constantFrom('h', 'act', 'dact', 'g', 'z', 'ztilde'), tie('layer'), tie('input')).map(([f, l, a]) => `${f}(${l}, ${a})`),
      fc.tuple(fc.constantFrom('P', 'Pperp'), tie('layer'), tie('vec')).map(([f, l, v]) => `${f}(${l}, ${v})`),
      fc.tuple(tie('vec'), fc.constantFrom('.*', '+', '-'), tie('vec')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
      fc.tuple(tie('scalar'), tie('vec')).map(([s, v]) => `(${s}) * (${v})`),
      tie('vec').map((v) => `relu(${v})`),
    ),
    scalar: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('n', 'm', '1', 'sqrt(n)', 'K(1, 2)', 'ntk(1, 2)', 'f(1)', 'Phi(0, 1, 2)', 'G(d + 1, 1, 1)'),
      fc.tuple(fc.constantFrom('inner', 'dot'), tie('vec'), tie('vec')).map(([f, a, b]) => `${f}(${a}, ${b})`),
      tie('vec').map((v) => `norm(${v})`),
      fc.tuple(tie('scalar'), fc.constantFrom('+', '-', '*', '/'), tie('scalar')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    ),
    rate: fc.tuple(fc.constantFrom('1', '2', 'sqrt(3)'), fc.integer({ min: -3, max: 1 }), fc.integer({ min: -2, max: 2 })).map(([c, a, b]) => `${c} * n^(${a}/2) * m^(${b})`),
  }));
  const NETS = '```network\nactivation: relu\ndepth: 2\ninput_dim: 3\ninputs: 2\n```\n';
  const q = (s: string) => JSON.stringify(s);

  it('identity and chain claims', () => {
    fc.assert(
      fc.property(letrec.math, letrec.math, letrec.math, (a, b, c) => {
        const md = `\`\`\`claim\nclaim: i\nkind: identity\nvars: {x: real, y: positive}\nlhs: ${q(a)}\nrhs: ${q(b)}\n\`\`\`\n\`\`\`claim\nclaim: c\nkind: chain\nvars: {x: "[-1, 1]", y: "(x^2, x^2 + 1)"}\nsteps: [${q(a)}, ${q(b)}, ${q(c)}]\n\`\`\`\n`;
        const r = readProofFile('v.md', md);
        expect(r.errors).toEqual([]);
        expect(r.file!.claims).toHaveLength(2);
      }),
      { numRuns: 150, seed: 17 },
    );
  }, 60_000);

  it('exact, limit, scaling and law claims', () => {
    fc.assert(
      fc.property(letrec.scalar, letrec.vec, letrec.rate, fc.boolean(), (s, v, rate, like) => {
        const md =
          NETS +
          `\`\`\`claim\nclaim: e\nkind: exact\nlhs: ${q(v)}\nrhs: ${q(`(${v}) + 0 * (${v})`)}\n\`\`\`\n` +
          `\`\`\`claim\nclaim: l\nkind: limit\nof: ${q(s)}\nto: ${q('K(1, 2) + sum(l, 0, d, Phi(l, 1, 2))')}\nrate: ${q(rate)}\n\`\`\`\n` +
          `\`\`\`claim\nclaim: s\nkind: scaling\nof: ${q(s)}\n${like ? 'like' : 'at_most'}: ${q(rate)}\n\`\`\`\n` +
          `\`\`\`claim\nclaim: w\nkind: law\nlhs: ${q(v)}\nrhs: ${q(v)}\ngiven: [forward, ${q(s)}]\n\`\`\`\n`;
        const r = readProofFile('v.md', md);
        expect(r.errors).toEqual([]);
        expect(r.file!.claims.map((c) => c.kind)).toEqual(['exact', 'limit', 'scaling', 'law']);
      }),
      { numRuns: 150, seed: 23 },
    );
  }, 60_000);

  it('single-character mutations of a valid file never throw', () => {
    const text = readFileSync(fileURLToPath(new URL('./fixtures/example.md', import.meta.url)), 'utf8');
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.constantFrom('', ' ', '\n', '"', '[', '(', ')', ':', '#', '`', '~', '-', 'x', ','), (i, ch) => {
        checkResult('m.md', text.slice(0, i) + ch + text.slice(i + 1));
      }),
      { numRuns: 200, seed: 29 },
    );
  }, 60_000);
});
