import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorSink, formatProofError } from '../../src/proof/errors.js';
import { findBlocks } from '../../src/proof/markdown.js';
import { MAX_YAML_DEPTH, parseYamlBlock, type YMap, type YScalar } from '../../src/proof/yaml.js';

function parse(md: string) {
  const { blocks } = findBlocks(md);
  const sink = new ErrorSink('f.md');
  const root = parseYamlBlock(blocks[0]!, sink);
  return { root, errors: sink.errors.map(formatProofError), md };
}

function scalarOf(root: unknown, key: string): YScalar {
  const e = (root as YMap).entries.find((x) => x.key === key)!;
  return e.value as YScalar;
}

describe('parseYamlBlock', () => {
  it('maps scalar positions back to the file (plain, double- and single-quoted, indented fence)', () => {
    const md = ['intro', '  ```claim', '  a: x + y', '  b: "u * v"', "  c: 'p''q + r'", '  ```'].join('\n');
    const { root, errors } = parse(md);
    expect(errors).toEqual([]);
    const lines = md.split('\n');
    for (const [key, ch] of [
      ['a', 'y'],
      ['b', 'v'],
      ['c', 'r'],
    ] as const) {
      const s = scalarOf(root, key);
      const i = s.text.indexOf(ch);
      const p = s.locate(i);
      expect(lines[p.line - 1]![p.column - 1]).toBe(ch);
    }
    expect(scalarOf(root, 'c').text).toBe("p'q + r");
  });

  it('numbers keep their source text', () => {
    const { root } = parse('```claim\ntol: 1e-9\nn: 0x10\n```');
    expect(scalarOf(root, 'tol').value).toBe(1e-9);
    expect(scalarOf(root, 'tol').text).toBe('1e-9');
  });

  it.each([
    ['a: &x 1\nb: 2', 'YAML anchors are not supported', '2:4'],
    ['a: [1]\nb: *x', 'YAML aliases are not supported', '3:4'],
    ['a: !foo bar', 'YAML tags are not supported', '2:4'],
    ['a: !!str 12', 'YAML tags are not supported', '2:4'],
    ['a: [1, 2', 'YAML syntax error', '2'],
  ])('rejects %j', (body, msg, pos) => {
    const { errors } = parse('```claim\n' + body + '\n```');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain(msg);
    expect(errors[0]!.startsWith(`f.md:${pos}`)).toBe(true);
  });

  it('aliases are rejected without expansion (no alias bomb)', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 20; i++) lines.push(`${String.fromCharCode(98 + (i % 20))}${i}: &a${i} [*a, *a, *a, *a, *a, *a, *a, *a, *a]`);
    const { errors } = parse('```claim\n' + lines.join('\n') + '\n```');
    expect(errors.some((e) => /anchors are not supported|aliases/.test(e))).toBe(true);
  });

  it('limits nesting depth', () => {
    const deep = '['.repeat(MAX_YAML_DEPTH + 5) + ']'.repeat(MAX_YAML_DEPTH + 5);
    const { errors } = parse('```claim\na: ' + deep + '\n```');
    expect(errors.some((e) => /nested too deeply/.test(e))).toBe(true);
  });

  it('very deep flow nesting does not crash', () => {
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    const { errors } = parse('```claim\na: ' + deep + '\n```');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('property: plain scalars of random expression-like text locate every character', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/);
    const text = fc.array(fc.tuple(word, fc.constantFrom(' + ', ' * ', '/', '^', ' - ')), { minLength: 1, maxLength: 6 }).map((xs) => xs.map(([w, o]) => w + o).join('') + 'z');
    fc.assert(
      fc.property(text, fc.constantFrom('', '"'), fc.integer({ min: 0, max: 3 }), (t, q, indent) => {
        const pad = ' '.repeat(indent);
        const md = `x\n${pad}\`\`\`claim\n${pad}lhs: ${q}${t}${q}\n${pad}\`\`\``;
        const { root, errors } = parse(md);
        expect(errors).toEqual([]);
        const s = scalarOf(root, 'lhs');
        expect(s.text).toBe(t);
        const lines = md.split('\n');
        for (let i = 0; i < t.length; i++) {
          const p = s.locate(i);
          expect(lines[p.line - 1]![p.column - 1]).toBe(t[i]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
