import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProofError } from '../../src/proof/errors.js';
import type { ChainClaim, ExactClaim, IdentityClaim, LawClaim, LimitClaim, ScalingClaim } from '../../src/proof/model.js';
import { READER_LIMITS, readProofFile } from '../../src/proof/reader.js';
import { FILE, NET, at, claim, errs, only, read } from './helpers.js';

const examplePath = fileURLToPath(new URL('./fixtures/example.md', import.meta.url));
const example = readFileSync(examplePath, 'utf8');

describe('the example proof file', () => {
  const r = readProofFile('example.md', example);
  const f = r.file!;
  const byId = (id: string) => f.claims.find((c) => c.id === id)!;

  it('reads without errors: all six kinds, two networks, definitions', () => {
    expect(r.errors.map(formatProofError)).toEqual([]);
    expect(f.claims.map((c) => c.id)).toEqual(['relu-arccos-1', 'step-dual', 'relu-diagonal', 'lecture-typo', 'g-is-D-z', 'ntk-limit', 'term-1-vanishes', 'ntk-as-sum', 'conditioning', 'cross-terms']);
    expect(new Set(f.claims.map((c) => c.kind))).toEqual(new Set(['identity', 'chain', 'exact', 'limit', 'scaling', 'law']));
    expect(f.networks.map((n) => n.name)).toEqual(['deep', 'shallow']);
    expect(f.definitions.list.map((d) => d.name)).toEqual(['theta', 'k1', 'k0', 's']);
    expect([...f.defines.functions.keys()]).toEqual(['theta', 'k1', 'k0']);
    expect([...f.defines.constants.keys()]).toEqual(['s']);
    expect(r.failedClaims).toEqual([]);
  });

  it('identity: domains, Gaussian declaration, positions', () => {
    const c = byId('relu-arccos-1') as IdentityClaim;
    expect(c.expect).toBe('holds');
    expect(c.tol).toBe(1e-9);
    expect(c.title).toBe('ReLU dual activation is the arc-cosine kernel of order 1');
    expect(c.vars.map((v) => [v.name, v.domain.type])).toEqual([
      ['a', 'positive'],
      ['b', 'positive'],
      ['c', 'interval'],
    ]);
    const d = c.vars[2]!.domain;
    if (d.type !== 'interval') throw new Error('interval expected');
    expect([d.lo.text, d.hi.text, d.loClosed, d.hiClosed]).toEqual(['-sqrt(a*b)', 'sqrt(a*b)', false, false]);
    expect(`${d.lo.pos.line}:${d.lo.pos.column}`).toBe(at(example, 'vars: {a: positive, b: positive, c: "(-sqrt', '-sqrt'));
    expect(`${d.hi.pos.line}:${d.hi.pos.column}`).toBe(at(example, 'vars: {a: positive, b: positive, c: "(-sqrt', 'sqrt(a*b))'));
    expect(c.gaussian!.variables).toEqual(['u', 'v']);
    expect(c.gaussian!.cov.map((r) => r.map((x) => x.text))).toEqual([
      ['a', 'c'],
      ['c', 'b'],
    ]);
    expect(c.gaussian!.mean.map((x) => x.text)).toEqual(['0', '0']);
    expect(c.lhs.expr.type).toBe('expect');
    expect(`${c.lhs.pos.line}:${c.lhs.pos.column}`).toBe(at(example, 'lhs: E[relu(u) * relu(v)]', 'E['));
    expect(`${c.pos.line}:${c.pos.column}`).toBe(at(example, 'claim: relu-arccos-1', 'relu-arccos-1'));
  });

  it('identity with given, tol and note; chain; expect: fails', () => {
    const s = byId('step-dual') as IdentityClaim;
    expect(s.tol).toBe(1e-8);
    expect(s.note).toBe('the derivative of ReLU is the step function');
    expect(s.given.map((g) => [g.lhs.text, g.op, g.rhs.text])).toEqual([['c^2', '<', 'a*b']]);
    const ch = byId('relu-diagonal') as ChainClaim;
    expect(ch.steps.map((x) => x.text)).toEqual(['E[relu(u)^2]', 'a / 2', 's * a / 4']);
    expect(ch.gaussian!.cov.map((r) => r.map((x) => x.text))).toEqual([['a']]);
    const t = byId('lecture-typo') as IdentityClaim;
    expect(t.expect).toBe('fails');
    const d = t.vars[0]!.domain;
    expect(d.type === 'interval' && d.loClosed && d.hiClosed).toBe(true);
  });

  it('statistic claims: networks, types, rates, law given', () => {
    const e = byId('g-is-D-z') as ExactClaim;
    expect([e.network, e.lhs.type, e.rhs.type, e.tol]).toEqual(['deep', 'vector', 'vector', 1e-9]);
    const l = byId('ntk-limit') as LimitClaim;
    expect(l.rate!.law).toEqual({ coef: 1, expN: -0.5, expM: 0 });
    expect(l.tol).toBeUndefined();
    const s = byId('term-1-vanishes') as ScalingClaim;
    expect(s.like!.law).toEqual({ coef: 1, expN: -1, expM: 1 });
    expect(s.at_most).toBeUndefined();
    expect(s.of.type).toBe('scalar');
    const x = byId('cross-terms') as ScalingClaim;
    expect(x.at_most!.law.expN).toBeCloseTo(-0.5, 15);
    expect((byId('ntk-as-sum') as LimitClaim).network).toBe('shallow');
    const law = byId('conditioning') as LawClaim;
    expect(law.given.map((g) => g.type)).toEqual(['forward']);
    expect(law.lhs.type).toBe('vector');
  });

  it('networks: explicit fields and defaults', () => {
    const [deep, shallow] = f.networks as [typeof f.networks[0], typeof f.networks[0]];
    expect(deep).toMatchObject({ activation: 'relu', depth: 3, input_dim: 8, inputs: { type: 'count', m: 2 }, widths: [64, 128, 256, 512], seeds: 16, sigma_w: 1, sigma_b: 0, readout_mean: 0 });
    expect(shallow).toMatchObject({ activation: 'erf', depth: 1, input_dim: 2, inputs: { type: 'list', vectors: [[1, 0], [0.6, 0.8]] }, sigma_b: 0.1, seeds: 32 });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(readProofFile('example.md', example).file)).toBe(JSON.stringify(f));
  });
});

/** Asserts exactly one error, at the location computed from the source, with the message and token. */
function one(md: string, marker: string, token: string, message: RegExp, errToken: string | undefined = token, nth = 0): void {
  const e = only(read(md));
  expect(`${e.line}:${e.column}`).toBe(at(md, marker, token, nth));
  expect(e.message).toMatch(message);
  expect(e.token).toBe(errToken);
  expect(e.file).toBe(FILE);
}

const ID = (extra: string) => claim(`claim: c1\nkind: identity\nvars: {x: real}\n${extra}`);

describe('reader errors: location, message and token', () => {
  it('unknown field with a did-you-mean', () => {
    const md = ID('lhs: x\nrhs: x\nrsh: 2');
    one(md, 'rsh: 2', 'rsh', /^unknown field 'rsh' for an identity claim \(did you mean 'rhs'\?\)$/);
  });

  it('a field of another kind names that kind', () => {
    const md = ID('lhs: x\nrhs: x\nsteps: [x, x]');
    one(md, 'steps:', 'steps', /belongs to chain claims/);
  });

  it('missing required field, at the opening fence', () => {
    const md = 'text\n' + ID('lhs: x');
    const e = only(read(md));
    expect([e.line, e.column, e.message, e.token]).toEqual([2, 1, "missing required field 'rhs'", 'rhs']);
  });

  it('missing claim id and kind', () => {
    const r = read(claim('lhs: x\nrhs: x'));
    expect(r.errors.map((e) => e.message)).toEqual(["missing required field 'claim' (the claim id)", "missing required field 'kind' (one of identity, chain, exact, limit, scaling, law, experiment)"]);
  });

  it('wrong type', () => {
    one(ID('lhs: x\nrhs: x\ntol: big'), 'tol: big', 'big', /^field 'tol' must be a number between 0 and 1/);
    one(claim('claim: c1\nkind: identity\nvars: 3\nlhs: 1\nrhs: 1'), 'vars: 3', '3', /^field 'vars' must be a mapping/, 'vars');
    one(claim('claim: c1\nkind: chain\nsteps: x'), 'steps: x', 'x', /^field 'steps' must be a list/, 'steps');
    one(ID('lhs: [x]\nrhs: x'), 'lhs: [x]', '[x]', /^field 'lhs' must be an expression, not a list/, 'lhs');
  });

  it('duplicate claim id', () => {
    const md = ID('lhs: x\nrhs: x') + '\n' + claim('claim: c1\nkind: identity\nlhs: 1\nrhs: 1 # second');
    const e = only(read(md));
    const lines = md.split('\n');
    const second = lines.lastIndexOf('claim: c1');
    expect(second).toBeGreaterThan(lines.indexOf('claim: c1'));
    expect(`${e.line}:${e.column}`).toBe(`${second + 1}:8`);
    expect(e.message).toBe(`duplicate claim id 'c1' (first used at line ${lines.indexOf('claim: c1') + 1})`);
    expect(e.token).toBe('c1');
  });

  it('duplicate field', () => {
    one(ID('lhs: x\nrhs: x\nlhs: 2*x'), 'lhs: 2*x', 'lhs', /^duplicate field 'lhs'$/);
  });

  it('unknown kind with a suggestion', () => {
    one(claim('claim: c1\nkind: scalling\nof: f(1)'), 'kind: scalling', 'scalling', /^unknown claim kind 'scalling' \(did you mean 'scaling'\?\)/);
  });

  it('expect must be holds or fails', () => {
    one(ID('lhs: x\nrhs: x\nexpect: true'), 'expect: true', 'true', /^field 'expect' must be 'holds' or 'fails', not 'true'$/);
  });

  it('unknown name, with suggestion, in an expression (column inside the scalar)', () => {
    one(ID('lhs: sin(x) + relu(xx) + 1\nrhs: x'), 'lhs: sin', 'xx', /^unknown name 'xx' \(did you mean 'x'\?\) in field 'lhs'$/);
  });

  it('unknown function in a double-quoted scalar (accounts for the quote)', () => {
    one(ID('lhs: "x + sine(x)"\nrhs: x'), 'lhs: "x', 'sine', /^unknown function 'sine'/);
  });

  it('wrong arity, built-in and user-defined', () => {
    one(ID('lhs: atan2(x)\nrhs: x'), 'lhs: atan2', 'atan2', /takes 2 arguments, got 1 in field 'lhs'$/);
    const md = '```define\nq(a, b) = a*b\n```\n' + ID('lhs: x\nrhs: q(x)');
    one(md, 'rhs: q(x)', 'q', /takes 2 arguments, got 1/);
  });

  it('statistic vocabulary: arity, unknown statistic, vectors, theory-only fields', () => {
    one(NET + claim('claim: s\nkind: limit\nof: ntk(1)\nto: K(1, 2)'), 'of: ntk(1)', 'ntk', /takes 2 arguments, got 1/);
    one(NET + claim('claim: s\nkind: limit\nof: ntx(1, 2)\nto: K(1, 2)'), 'of: ntx', 'ntx', /^unknown function 'ntx' \(did you mean 'ntk'\?\)/);
    one(NET + claim('claim: s\nkind: limit\nof: ntk(1, 2)\nto: inner(h(1,1), h(1,2))'), 'to: inner', 'inner', /^finite-width statistic 'inner' is not allowed here/);
    one(NET + claim('claim: s\nkind: scaling\nof: inner(h(1,1), 2)\nlike: n'), 'of: inner', '2', /argument 2 of 'inner' must be a vector/);
    one(NET + claim('claim: s\nkind: exact\nlhs: h(1,1) + 1\nrhs: h(1,1)'), 'lhs: h(1,1)', '+', /^cannot add a vector and a scalar/, '+');
    one(NET + claim('claim: s\nkind: exact\nlhs: h(1,1) * (h(1,2))\nrhs: h(1,1)'), 'lhs: h(1,1)', '*', /^'\*' of two vectors/, '*');
    one(NET + claim('claim: s\nkind: exact\nlhs: h(1.5,1)\nrhs: h(1,1)'), 'lhs: h(1.5', '1.5', /layer index of 'h' must be an integer/);
    one(NET + claim('claim: s\nkind: exact\nlhs: h(n,1)\nrhs: h(1,1)'), 'lhs: h(n', 'n', /layer index of 'h' may use only integers, d, m and sum variables/);
  });

  it('statistics are not available in identity claims, nor sizes', () => {
    one(ID('lhs: h(1, 2)\nrhs: x'), 'lhs: h(1', 'h', /^unknown function 'h' \(network statistics are only available/, 'h', 1);
    one(ID('lhs: x * n\nrhs: x'), 'lhs: x * n', 'n', /^unknown name 'n' \(network statistics and sizes/);
  });

  it('never resolves JavaScript internals: constructor, __proto__, toString', () => {
    one(ID('lhs: constructor\nrhs: x'), 'lhs: constructor', 'constructor', /reserved name/);
    one(ID('lhs: x\nrhs: __proto__(x)'), 'rhs: __proto__', '__proto__', /reserved name/);
    one(ID('lhs: x\nrhs: toString'), 'rhs: toString', 'toString', /reserved name/);
    one(claim('claim: c1\nkind: identity\nvars: {constructor: real}\nlhs: 1\nrhs: 1'), 'vars: {constructor', 'constructor', /clashes|not a valid/);
  });

  it('Gaussian variables only inside E[...]', () => {
    one(ID('gaussian: "u ~ N(0, 1)"\nlhs: u\nrhs: 0'), 'lhs: u', 'u', /^Gaussian variable 'u' may only appear inside E\[\.\.\.\]/);
    one(ID('lhs: E[x]\nrhs: x'), 'lhs: E[x]', 'E', /^E\[\.\.\.\] needs a 'gaussian' declaration/);
  });

  it('network reference that does not exist; required when several are defined; needed at all', () => {
    one(NET + claim('claim: s\nkind: limit\nnetwork: deap\nof: ntk(1, 2)\nto: K(1, 2)'), 'network: deap', 'deap', /^unknown network 'deap' \(defined: net\)$/);
    const two = NET + '```network\nname: other\nactivation: tanh\ndepth: 1\ninput_dim: 2\n```\n';
    const md = two + claim('claim: s\nkind: limit\nof: ntk(1, 2)\nto: K(1, 2)');
    const e = only(read(md));
    expect(e.message).toBe("missing required field 'network' (the file defines 2 networks: net, other)");
    expect(e.line).toBe(md.split('\n').indexOf('```claim') + 1);
    const none = only(read(claim('claim: s\nkind: limit\nof: ntk(1, 2)\nto: K(1, 2)')));
    expect(none.message).toMatch(/needs a network/);
  });

  it('interval whose ends are not finite numbers at some point', () => {
    const md = claim('claim: c1\nkind: identity\nvars: {a: real, b: "(0, sqrt(a))"}\nlhs: b\nrhs: b');
    const e = only(read(md));
    expect(`${e.line}:${e.column}`).toBe(at(md, 'vars: {a: real', 'sqrt'));
    expect(e.message).toMatch(/^interval end of 'b' is not a finite number at a=-?\d/);
    expect(e.token).toBe('sqrt(a)');
  });

  it('interval empty everywhere; interval with three parts; commas inside calls are not separators', () => {
    one(claim('claim: c1\nkind: identity\nvars: {a: positive, b: "(a + 1, a)"}\nlhs: b\nrhs: b'), 'vars: {a: positive', '(a + 1', /^interval of 'b' is empty \(lo >= hi\) at every sampled point$/, 'a + 1, a');
    one(claim('claim: c1\nkind: identity\nvars: {b: "(0, 1, 2)"}\nlhs: b\nrhs: b'), 'vars: {b', '(0, 1, 2)', /exactly two ends/);
    const ok = read(claim('claim: c1\nkind: identity\nvars: {a: positive, c: "[-max(a, 1), atan2(a, 1)]"}\nlhs: c\nrhs: c'));
    expect(ok.errors).toEqual([]);
  });

  it('bad domains', () => {
    one(claim('claim: c1\nkind: identity\nvars: {x: postive}\nlhs: x\nrhs: x'), 'vars: {x', 'postive', /^unknown domain 'postive' for 'x' \(did you mean 'positive'\?\)/);
    one(claim('claim: c1\nkind: identity\nvars: {x: "(0, y)"}\nlhs: x\nrhs: x'), 'vars: {x', 'y', /^unknown name 'y' in the interval of 'x'$/);
  });

  it('interval ends may use earlier variables only', () => {
    one(claim('claim: c1\nkind: identity\nvars: {c: "(0, a)", a: positive}\nlhs: c\nrhs: c'), 'vars: {c', 'a', /^unknown name 'a'/, 'a', 1);
  });

  it('bad Gaussian declarations', () => {
    const G = (g: string) => claim(`claim: c1\nkind: identity\nvars: {a: positive}\ngaussian: "${g}"\nlhs: E[u]\nrhs: 0`);
    one(G('[u, u] ~ N(0, [[a, 0], [0, a]])'), 'gaussian:', 'u]', /^Gaussian variable 'u' is declared twice$/, 'u');
    one(G('[u, v] ~ N(0, [[a, 0, 0], [0, a, 0], [0, 0, a]])'), 'gaussian:', '[[a', /^covariance size mismatch: 2 variables need a 2x2 matrix, got 3x3$/, '[[a, 0, 0], [0, a, 0], [0, 0, a]]');
    one(G('[u, v] ~ N(0, [[a, 2*a], [2*a, a]])'), 'gaussian:', '[[a', /^covariance is not positive semidefinite at a=/, '[u, v] ~ N(0, [[a, 2*a], [2*a, a]])');
    one(G('[u, v] ~ N(0, [[a, 0], [1, a]])'), 'gaussian:', '[[a', /^covariance is not symmetric/, '1');
    const clash = G('[u, a] ~ N(0, [[1, 0], [0, 1]])');
    const ce = only(read(clash));
    expect(`${ce.line}:${ce.column}`).toBe(at(clash, 'gaussian:', 'a]'));
    expect([ce.message, ce.token]).toEqual(["Gaussian variable 'a' clashes with a variable in vars", 'a']);
    one(G('[u, v] ~ M(0, [[1, 0], [0, 1]])'), 'gaussian:', 'M(', /right side must be N\(mean, covariance\)/, 'M(0,');
    one(G('[u, v] ~ N([0, 0, 0], [[1, 0], [0, 1]])'), 'gaussian:', '[0, 0, 0]', /^the mean must be 0 or a vector of 2 entries/);
    one(G('u v'), 'gaussian:', 'u v', /must look like/);
  });

  it('PSD check respects given constraints', () => {
    const md = claim('claim: c1\nkind: identity\nvars: {a: positive, b: positive, c: real}\ngiven: ["c^2 < a*b"]\ngaussian: "[u, v] ~ N(0, [[a, c], [c, b]])"\nlhs: E[u*v]\nrhs: c');
    expect(errs(md)).toEqual([]);
  });

  it('given must be comparisons', () => {
    one(ID('given: ["x = 1"]\nlhs: x\nrhs: x'), 'given:', '=', /^use '==' for equality/);
    one(ID('given: ["x + 1"]\nlhs: x\nrhs: x'), 'given:', 'x + 1', /must be a comparison/);
    const r = read(ID('given: ["0 < x <= 1"]\nlhs: x\nrhs: x'));
    expect((r.file!.claims[0] as IdentityClaim).given.map((g) => g.op)).toEqual(['<', '<=']);
  });

  it('a rate that is not a power law', () => {
    one(NET + claim('claim: s\nkind: scaling\nof: ntk(1, 2)\nlike: m / log(n)'), 'like:', 'log', /^rate is not a power law in n and m: function 'log' is not allowed/);
    one(NET + claim('claim: s\nkind: limit\nof: ntk(1, 2)\nto: K(1, 2)\nrate: n^(-1/2) + 1'), 'rate:', 'n^', /^rate is not a power law in n and m: '\+' is not allowed/, '+');
    one(NET + claim('claim: s\nkind: scaling\nof: ntk(1, 2)\nlike: x / n'), 'like:', 'x', /only n, m and positive constants/);
  });

  it('like and at_most both present, or neither', () => {
    one(NET + claim('claim: s\nkind: scaling\nof: ntk(1, 2)\nlike: 1/n\nat_most: 1/n'), 'at_most:', 'at_most', /^give exactly one of 'like' and 'at_most', not both$/);
    const e = only(read(NET + claim('claim: s\nkind: scaling\nof: ntk(1, 2)')));
    expect(e.message).toBe("missing required field 'like' (or 'at_most')");
  });

  it('a file with no claim block', () => {
    const e = only(read('# just prose\n\n```define\ns = 1\n```\n'));
    expect([e.line, e.column]).toEqual([1, 1]);
    expect(e.message).toMatch(/^no claim block in the file/);
  });

  it('unterminated fence', () => {
    const md = ID('lhs: x\nrhs: x') + '\n```claim\nclaim: c2\n';
    const e = only(read(md));
    expect(e.line).toBe(md.split('\n').lastIndexOf('```claim') + 1);
    expect(e.message).toMatch(/^unterminated code fence opened at line/);
  });

  it('YAML syntax errors are located in the file', () => {
    const md = 'intro\n' + ID('lhs: [x\nrhs: x');
    const r = read(md);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]!.message).toMatch(/^YAML syntax error/);
    expect(r.errors[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('claim block that is not a mapping', () => {
    const e = only(read('```claim\n- a\n- b\n```\n'));
    expect([e.line, e.column, e.message]).toEqual([2, 1, 'a claim block must be a YAML mapping of fields, not a list']);
  });

  it('define block errors', () => {
    const md = '```define\nphi(x) = relu(x)\nsqrt(x) = x\nphi(y) = 2\nt = foo(1)\nh(l, a) = l\nn = 3\n```\n' + ID('lhs: phi(x)\nrhs: x');
    const r = read(md);
    const got = r.errors.map((e) => `${e.line}:${e.column} ${e.token}`);
    expect(got).toEqual([`${at(md, 'sqrt(x) = x', 'sqrt')} sqrt`, `${at(md, 'phi(y) = 2', 'phi')} phi`, `${at(md, 't = foo(1)', 'foo')} foo`, `${at(md, 'h(l, a) = l', 'h')} h`, `${at(md, 'n = 3', 'n')} n`]);
    expect(r.errors[1]!.message).toBe("'phi' is already defined (at line 2)");
    expect(r.errors[3]!.message).toMatch(/name of a network statistic/);
  });

  it('network block errors', () => {
    const md = '```network\nname: a\nactivation: relux\ndepth: 0\ninput_dim: 2\ninputs: [[1, 2, 3]]\nwidht: [8]\n```\n```network\nname: a\nactivation: relu\ndepth: 1\ninput_dim: 2\n```\n' + ID('lhs: x\nrhs: x');
    const r = read(md);
    expect(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      `${at(md, 'activation: relux', 'relux')} unknown activation 'relux' (did you mean 'relu'?) (use an activation of the table like relu, tanh, leaky_relu(0.1), an expression in x, or a defined one-argument function)`,
      `${at(md, 'depth: 0', '0')} field 'depth' must be an integer from 1 to 64`,
      `${at(md, 'inputs: [[1, 2, 3]]', '[1, 2')} input has 3 entries but input_dim is 2`,
      `${at(md, 'widht', 'widht')} unknown field 'widht' in network (did you mean 'widths'?)`,
      `${md.split('\n').indexOf('name: a', 3) + 1}:7 duplicate network name 'a' (first defined at line 2)`,
    ]);
  });

  it('a defined one-argument function is a valid activation', () => {
    const md = '```define\nphi(x) = tanh(x) + x\n```\n```network\nactivation: phi\ndepth: 1\ninput_dim: 3\n```\n' + claim('claim: s\nkind: limit\nof: f(1)\nto: 0');
    const r = read(md);
    expect(r.errors).toEqual([]);
    expect(r.file!.networks[0]).toMatchObject({ activation: 'phi', activationIsBuiltin: false });
  });

  it('every activation the CLI knows is valid in a network block (the one resolver)', () => {
    for (const a of ['relu', 'leaky_relu(0.1)', 'rectified(2)', 'swish', 'gelu', 'abrelu(1, -0.5)', 'silu', 'x*erf(x)', 'sinh', 'scaled_erf(2, 0.5)']) {
      const md = '```network\nactivation: ' + a + '\ndepth: 1\ninput_dim: 3\n```\n' + claim('claim: s\nkind: limit\nof: f(1)\nto: 0');
      const r = read(md);
      expect(r.errors, a).toEqual([]);
      expect(r.file!.networks[0], a).toMatchObject({ activation: a, activationIsBuiltin: true });
    }
    // a defined function wins over the table, as before
    const md = '```define\nswish2(x) = x * sigmoid(x)\n```\n```network\nactivation: swish2\ndepth: 1\ninput_dim: 3\n```\n' + claim('claim: s\nkind: limit\nof: f(1)\nto: 0');
    expect(read(md).file!.networks[0]).toMatchObject({ activation: 'swish2', activationIsBuiltin: false });
  });

  it('an activation the resolver rejects is an error at its token, with the reason', () => {
    const cases: [string, RegExp][] = [
      ['swsh', /^unknown activation 'swsh' \(did you mean 'swish'\?\)/],
      ['leaky_relu(-)', /^activation 'leaky_relu\(-\)': syntax error/],
      ['x + foo(x)', /^activation 'x \+ foo\(x\)': unknown function 'foo'/],
      // a table name that needs parameters is not an unknown name
      ['scaled_erf', /^activation 'scaled_erf' needs parameters/],
    ];
    for (const [a, re] of cases) {
      const md = '```network\nactivation: ' + a + '\ndepth: 1\ninput_dim: 3\n```\n' + ID('lhs: x\nrhs: x');
      const r = read(md);
      expect(r.errors.map((e) => e.message).join('\n'), a).toMatch(re);
      expect(r.errors[0]!.token).toBe(a);
      expect(`${r.errors[0]!.line}:${r.errors[0]!.column}`).toBe(at(md, 'activation: ' + a, a));
    }
  });

  it('a YAML list split at the commas inside parentheses is one error that says to quote the items', () => {
    const law = NET + claim('claim: c\nkind: law\nlhs: inner(g(1,1), g(1,2))\nrhs: inner(g(1,1), g(1,2))\ngiven: [forward, z(2,1)]');
    const r = read(law);
    expect(r.errors.map((e) => e.message)).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(/split at commas, so 'z\(2' is a fragment: quote each item/);
    expect(r.errors[0]!.token).toBe('z(2');
    const ident = claim('claim: d\nkind: identity\nvars: {a: real, b: real}\ngiven: [max(a, b) > 0]\nlhs: a\nrhs: a');
    const r2 = read(ident);
    expect(r2.errors.map((e) => e.message)).toHaveLength(1);
    expect(r2.errors[0]!.message).toMatch(/split at commas, so 'max\(a' is a fragment/);
    // quoted items read
    expect(read(law.replace('[forward, z(2,1)]', '[forward, "z(2,1)"]')).errors).toEqual([]);
    expect(read(ident.replace('[max(a, b) > 0]', '["max(a, b) > 0"]')).errors).toEqual([]);
  });

  it('collects every error in the file, sorted by position, and keeps the good claims in partial', () => {
    const md = ID('lhs: y\nrhs: x').replace('c1', 'bad1') + ID('lhs: x\nrhs: x').replace('c1', 'good') + ID('lhs: x\nrhs: z').replace('c1', 'bad2');
    const r = read(md);
    expect(r.file).toBeUndefined();
    expect(r.errors.map((e) => e.token)).toEqual(['y', 'z']);
    expect(r.errors[0]!.line).toBeLessThan(r.errors[1]!.line);
    expect(r.partial!.claims.map((c) => c.id)).toEqual(['good']);
    expect(r.failedClaims.map((f) => [f.id, f.kind, f.errors.length])).toEqual([
      ['bad1', 'identity', 1],
      ['bad2', 'identity', 1],
    ]);
  });

  it('formats errors as file:line:col: message (token)', () => {
    expect(formatProofError({ file: 'p.md', line: 3, column: 7, message: 'unknown name', token: 'q' })).toBe("p.md:3:7: unknown name (token 'q')");
    expect(formatProofError({ file: 'p.md', line: 1, column: 1, message: 'no claim' })).toBe('p.md:1:1: no claim');
  });

  it('size limits: file size and number of claims', () => {
    const big = 'x'.repeat(READER_LIMITS.maxFileChars + 1);
    expect(only(read(big)).message).toMatch(/^file too large/);
    const many = Array.from({ length: READER_LIMITS.maxClaims + 1 }, (_, i) => claim(`claim: c${i}\nkind: identity\nlhs: 1\nrhs: 1`)).join('\n');
    const r = read(many);
    expect(r.errors.map((e) => e.message)).toEqual([`too many claims (at most ${READER_LIMITS.maxClaims})`]);
  });
});

describe('literal layer and input indices are checked against the network', () => {
  const C = (of: string) => NET + claim(`claim: s\nkind: scaling\nof: ${of}\nlike: 1/n`);
  it.each([
    ['inner(h(3, 1), h(1, 2))', '3', /^layer index 3 of 'h' is out of range \(1\.\.2 for depth 2\)/],
    ['inner(act(0, 1), h(d + 1, 1))', 'd + 1', /^layer index 3 of 'h' is out of range/],
    ['inner(h(1, 3), h(1, 2))', '3', /^input index 3 of 'h' is out of range \(1\.\.2, the network 'net' has 2 inputs\)/],
    ['G(0, 1, 1)', '0', /^layer index 0 of 'G' is out of range \(1\.\.3 for depth 2\)/],
    ['ntk(0, 1)', '0', /^input index 0 of 'ntk'/],
  ])('%s', (of, tok, msg) => {
    const md = C(of);
    const e = only(read(md));
    expect(e.message).toMatch(msg);
    expect(e.token).toBe(tok);
    const line = md.split('\n').findIndex((l) => l.startsWith('of: '));
    expect(e.line).toBe(line + 1);
    expect(md.split('\n')[line]!.slice(e.column - 1).startsWith(tok)).toBe(true);
  });

  it('in-range indices (including d, m, sums and act(0, .)) are accepted', () => {
    const md = C('inner(act(0, 1), act(d, m)) + G(d + 1, 1, 2) + sum(l, 1, d, inner(h(l, 1), h(l, 2)))');
    expect(errs(md)).toEqual([]);
  });
});

describe('the SPEC examples, verbatim', () => {
  it('read without errors', () => {
    const text = readFileSync(fileURLToPath(new URL('./fixtures/spec-examples.md', import.meta.url)), 'utf8');
    const r = readProofFile('spec.md', text);
    expect(r.errors.map(formatProofError)).toEqual([]);
    expect(r.file!.claims.map((c) => [c.id, c.kind])).toEqual([
      ['relu-arccos-1', 'identity'],
      ['term-1-vanishes', 'scaling'],
    ]);
    expect(r.file!.networks[0]).toMatchObject({ name: 'net', activation: 'relu', depth: 3, input_dim: 8, inputs: { type: 'count', m: 2 }, widths: [64, 128, 256, 512, 1024, 2048, 4096], seeds: 32 });
  });
});

describe('positions inside multi-line scalars', () => {
  it.each([
    ['plain folded', 'rhs: sqrt(x^2) / (2*pi) *\n  (sin(x) + fooo(x))'],
    ['block literal', 'rhs: |\n  sqrt(x^2) / (2*pi) *\n    (sin(x) + fooo(x))'],
    ['block folded', 'rhs: >-\n  sqrt(x^2) / (2*pi) *\n  (sin(x) + fooo(x))'],
    ['double-quoted', 'rhs: "sqrt(x^2) / (2*pi) *\n  (sin(x) + fooo(x))"'],
  ])('%s', (_, rhs) => {
    const md = ID(`lhs: x\n${rhs}`);
    const e = only(read(md));
    expect(e.token).toBe('fooo');
    expect(`${e.line}:${e.column}`).toBe(at(md, 'fooo', 'fooo'));
  });
});

describe('ambiguous powers in rates', () => {
  it.each(['n^-1/2', 'm / n^1/2', 'n ^ - 1 / 2'])('%s is rejected with a fix', (rate) => {
    const md = NET + claim(`claim: s\nkind: scaling\nof: ntk(1, 2)\nlike: ${rate}`);
    const e = only(read(md));
    expect(e.message).toMatch(/^ambiguous power in field 'like': \^-?1\/2 means \(x\^-?1\)\/2; write \^\(-?1\/2\)/);
    expect(`${e.line}:${e.column}`).toBe(at(md, 'like:', '^'));
  });
  it('parenthesized exponents are fine', () => {
    const r = read(NET + claim('claim: s\nkind: scaling\nof: ntk(1, 2)\nlike: n^(-1/2) * (m^1)/2'));
    expect(r.errors).toEqual([]);
    expect((r.file!.claims[0] as ScalingClaim).like!.law).toEqual({ coef: 0.5, expN: -0.5, expM: 1 });
  });
});

describe('interval checks respect given constraints on earlier variables', () => {
  it('(0, sqrt(a)) with a real is fine when given a > 0', () => {
    const md = claim('claim: c1\nkind: identity\nvars: {a: real, b: "(0, sqrt(a))"}\ngiven: ["a > 0"]\nlhs: b\nrhs: b');
    expect(errs(md)).toEqual([]);
  });
  it('a constraint that mentions the interval variable itself does not hide the error', () => {
    const md = claim('claim: c1\nkind: identity\nvars: {a: real, b: "(0, sqrt(a))"}\ngiven: ["b > 0"]\nlhs: b\nrhs: b');
    expect(only(read(md)).message).toMatch(/not a finite number/);
  });
});

describe('claims on a network with errors', () => {
  it('say so instead of a vague error', () => {
    const md = '```network\nactivation: relu\ndepth: 0\ninput_dim: 4\n```\n' + claim('claim: s\nkind: limit\nof: ntk(1, 2)\nto: K(1, 2)');
    expect(read(md).errors.map((e) => e.message)).toEqual(["field 'depth' must be an integer from 1 to 64", "the file's network 'net' has errors (reported at its block)"]);
    const named = md.replace('kind: limit', 'kind: limit\nnetwork: net');
    expect(read(named).errors.map((e) => e.message)[1]).toBe("network 'net' has errors (reported at its block)");
  });
});

describe('empty blocks', () => {
  it('a claim block with only comments is empty', () => {
    expect(read('```claim\n# nothing\n```\n').errors.map((e) => [e.line, e.message])).toEqual([[1, 'empty claim block']]);
    expect(read('```claim\n```\n').errors.map((e) => [e.line, e.message])).toEqual([[1, 'empty claim block']]);
  });
});

describe('rejected YAML values are not also reported as missing', () => {
  it('alias as lhs', () => {
    expect(read(ID('lhs: *a\nrhs: x')).errors.map((e) => e.message)).toEqual(['YAML aliases are not supported']);
    expect(read(ID('lhs: !expr x\nrhs: x')).errors.map((e) => e.message)).toEqual(['YAML tags are not supported']);
  });
});
