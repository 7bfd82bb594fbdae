/**
 * Fuzzing the reader and the checker with random Markdown / YAML /
 * expressions: every input gives verdicts or clear errors; nothing throws,
 * hangs or runs code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/proof/check/run.js';
import { VERDICTS } from '../../../src/core/types.js';
import { readProofFile } from '../../../src/proof/reader.js';

const atoms = ['x', 'y', 'a', 'b', 'c', 'u', 'v', '1', '2', '0', '0.5', 'pi', 'e', 'n', 'm', 'd', '1e308', '-1', 'constructor', '__proto__', 'process', 'this'];
const fns = ['sin', 'relu', 'sqrt', 'log', 'exp', 'abs', 'step', 'erf', 'max', 'h', 'g', 'inner', 'Phi', 'E', 'diff', 'require', 'eval', 'f', 'P'];
const ops = ['+', '-', '*', '/', '^', '.*'];

const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...atoms),
    fc.tuple(tie('e'), fc.constantFrom(...ops), tie('e')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(fc.constantFrom(...fns), fc.array(tie('e'), { maxLength: 3 })).map(([f, as]) => (f === 'E' ? `E[${as[0] ?? 'u'}]` : `${f}(${as.join(', ')})`)),
    fc.string({ maxLength: 8 }),
  ),
})).e as fc.Arbitrary<string>;

const domain = fc.constantFrom('real', 'positive', 'nonnegative', 'integer', '"(0, 1)"', '"[-1, x]"', '"(a, b)"', 'bogus', '"(-sqrt(a*b), sqrt(a*b))"');
const kind = fc.constantFrom('identity', 'chain', 'exact', 'limit', 'scaling', 'law', 'nonsense', '');

const claimBlock = fc
  .record({
    id: fc.oneof(fc.constantFrom('c1', 'c2', 'bad id', ''), fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/)),
    kind,
    lhs: expr,
    rhs: expr,
    vars: fc.array(fc.tuple(fc.constantFrom('x', 'y', 'a', 'b', 'c'), domain), { maxLength: 3 }),
    extra: fc.constantFrom('', 'expect: fails\n', 'tol: 1e-6\n', 'gaussian: "[u, v] ~ N(0, [[a, c], [c, b]])"\n', 'given: ["x > 0"]\n', 'rate: n^(-1/2)\n', 'like: m/n\n', 'given: [forward]\n', 'steps: [x, x]\n', 'of: h(1,1)\nto: Phi(1,1,1)\n', ': : :\n', '  - broken\n'),
  })
  .map(
    (r) =>
      '```claim\n' +
      `claim: ${r.id}\nkind: ${r.kind}\n` +
      (r.vars.length ? `vars: {${r.vars.map(([n, d]) => `${n}: ${d}`).join(', ')}}\n` : '') +
      `lhs: ${r.lhs}\nrhs: ${r.rhs}\n${r.extra}` +
      '```\n',
  );

const networkBlock = fc
  .record({
    act: fc.constantFrom('relu', 'tanh', 'erf', 'step', 'sin', 'nope'),
    depth: fc.constantFrom('1', '2', '0', '-1', 'x'),
    widths: fc.constantFrom('[8, 12]', '[4]', '[]', 'seven', '[8, 1e9]'),
    seeds: fc.constantFrom('2', '0', 'many'),
  })
  .map((r) => '```network\n' + `activation: ${r.act}\ndepth: ${r.depth}\ninput_dim: 3\nwidths: ${r.widths}\nseeds: ${r.seeds}\n` + '```\n');

const noise = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('# title\n', 'prose\n', '```\n', '```define\nphi(x) = relu(x)\ns = 2\n```\n', '```define\nf(x) = f(x)\n```\n', '```yaml\na: 1\n```\n', '~~~claim\n'));

const file = fc.array(fc.oneof({ weight: 3, arbitrary: claimBlock }, { weight: 1, arbitrary: networkBlock }, { weight: 2, arbitrary: noise }), { maxLength: 6 }).map((parts) => parts.join('\n'));

// mostly valid files: identity claims over x, y with well-formed random expressions
const goodExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '1', '2', '0.5', 'pi'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(fc.constantFrom('sin', 'relu', 'sqrt', 'exp', 'abs', 'erf', 'tanh', 'step', 'log'), tie('e')).map(([f, a]) => `${f}(${a})`),
  ),
})).e as fc.Arbitrary<string>;
const goodFile = fc
  .array(
    fc.record({ kind: fc.constantFrom('identity', 'chain'), a: goodExpr, b: goodExpr, exp: fc.constantFrom('holds', 'fails') }),
    { minLength: 1, maxLength: 3 },
  )
  .map((cs) =>
    cs
      .map(
        (c, i) =>
          '```claim\n' +
          `claim: g${i}\nkind: ${c.kind}\nexpect: ${c.exp}\nvars: {x: real, y: "[-2, 2]"}\n` +
          (c.kind === 'identity' ? `lhs: ${c.a}\nrhs: ${c.b}\n` : `steps: ["${c.a}", "${c.b}", "${c.a}"]\n`) +
          '```\n',
      )
      .join('\n'),
  );

describe('fuzz: reader and checker', () => {
  it(
    'random proof files give verdicts or positioned errors, never a throw',
    async () => {
      let checked = 0;
      let withErrors = 0;
      const g = globalThis as Record<string, unknown>;
      await fc.assert(
        fc.asyncProperty(fc.oneof(file, goodFile), async (text) => {
          const r = readProofFile('fuzz.md', text);
          if (!r.file) {
            expect(r.errors.length).toBeGreaterThan(0);
            for (const e of r.errors) {
              expect(e.file).toBe('fuzz.md');
              expect(e.line).toBeGreaterThanOrEqual(1);
              expect(e.message.length).toBeGreaterThan(0);
            }
            withErrors++;
            return;
          }
          expect(r.errors).toEqual([]);
          // keep the checker cheap: few points; networks are small by construction
          const out = await checkFiles([{ file: r.file, path: 'fuzz.md' }], { seed: 1, effort: 'quick', identityPoints: 12 });
          for (const c of out[0]!.claims) {
            expect(VERDICTS).toContain(c.verdict);
            expect(() => JSON.stringify(c.evidence)).not.toThrow();
            if (c.verdict === 'ERROR') expect((c.message ?? '').length).toBeGreaterThan(0);
          }
          checked++;
        }),
        { numRuns: 80, seed: 20261129 },
      );
      expect(g.pwned).toBeUndefined();
      console.log(`fuzz: ${checked} files checked, ${withErrors} rejected by the reader`);
      expect(withErrors + checked).toBe(80);
      expect(checked).toBeGreaterThan(5); // some files get through the reader and are checked
    },
    120_000,
  );
});
