import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BodyMap, findBlocks, infoKind } from '../../src/proof/markdown.js';

describe('findBlocks', () => {
  it('finds define/network/claim fences with backticks and tildes and skips prose fences', () => {
    const md = ['# t', '```define', 's = 2', '```', '', '~~~~network', 'depth: 1', '~~~~', '```python', 'claim: x', '```', '```claim', 'claim: a', '```'].join('\n');
    const r = findBlocks(md);
    expect(r.errors).toEqual([]);
    expect(r.blocks.map((b) => [b.kind, b.body, b.startLine, b.fenceLine])).toEqual([
      ['define', 's = 2', 3, 2],
      ['network', 'depth: 1', 7, 6],
      ['claim', 'claim: a', 13, 12],
    ]);
  });

  it('closing fence must use the same character and be at least as long', () => {
    const md = ['````claim', 'a: 1', '```', '~~~~', 'b: 2', '`````', 'after'].join('\n');
    const r = findBlocks(md);
    expect(r.errors).toEqual([]);
    expect(r.blocks).toHaveLength(1);
    expect(r.blocks[0]!.body).toBe('a: 1\n```\n~~~~\nb: 2');
  });

  it('strips the fence indentation from body lines and records it', () => {
    const md = ['  ```claim', '  claim: a', '    kind: x', ' y: 1', '  ```'].join('\n');
    const r = findBlocks(md);
    expect(r.blocks[0]!.body).toBe('claim: a\n  kind: x\ny: 1');
    expect(r.blocks[0]!.lineIndent).toEqual([2, 2, 1]);
  });

  it('four spaces of indentation is not a fence (indented code)', () => {
    const r = findBlocks(['    ```claim', '    claim: a', '    ```', '```claim', 'claim: b', '```'].join('\n'));
    expect(r.blocks.map((b) => b.body)).toEqual(['claim: b']);
  });

  it('reports an unterminated fence with its line', () => {
    const r = findBlocks(['text', '```claim', 'claim: a'].join('\n'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.pos).toEqual({ line: 2, column: 1 });
    expect(r.errors[0]!.message).toMatch(/unterminated code fence opened at line 2/);
  });

  it('an unterminated prose fence is an error too (it would hide the rest of the file)', () => {
    const r = findBlocks(['~~~', 'x'].join('\n'));
    expect(r.errors[0]!.message).toMatch(/unterminated code fence opened at line 1/);
  });

  it('HTML comments hide fences', () => {
    const r = findBlocks(['<!--', '```claim', 'claim: a', '```', '-->', '```claim', 'claim: b', '```'].join('\n'));
    expect(r.blocks.map((b) => b.body)).toEqual(['claim: b']);
    expect(findBlocks('<!-- open\n```claim\n').errors[0]!.message).toMatch(/unterminated HTML comment/);
  });

  it('backtick fences whose info string contains a backtick are not fences', () => {
    expect(findBlocks('```claim `x`\n```').blocks).toEqual([]);
  });

  it('handles CRLF and CR line endings', () => {
    const r = findBlocks('```claim\r\nclaim: a\r\n```\r\n');
    expect(r.blocks[0]!.body).toBe('claim: a');
    expect(findBlocks('```claim\rclaim: a\r```').blocks[0]!.startLine).toBe(2);
  });

  it('info strings: first word decides, case-insensitive', () => {
    expect(infoKind('claim extra words')).toBe('claim');
    expect(infoKind('Define')).toBe('define');
    expect(infoKind('claims')).toBeNull();
    expect(infoKind('')).toBeNull();
  });

  it('property: any fence-free body round-trips with correct line numbers', () => {
    const line = fc.stringMatching(/^[a-z0-9 :#\-[\]{}(),.*^+/]{0,30}$/).filter((l) => !/^ {0,3}(```|~~~)/.test(l) && !/^ {0,3}<!--/.test(l));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(line, { maxLength: 8 }), fc.constantFrom('```', '~~~', '````'), (pre, body, fence) => {
        const md = [...pre, fence + 'claim', ...body, fence].join('\n');
        const r = findBlocks(md);
        expect(r.errors).toEqual([]);
        expect(r.blocks).toHaveLength(1);
        expect(r.blocks[0]!.body).toBe(body.join('\n'));
        expect(r.blocks[0]!.startLine).toBe(pre.length + 2);
        const bm = new BodyMap(r.blocks[0]!);
        // Every body offset maps to the same character in the file.
        const fileLines = md.split('\n');
        const b = r.blocks[0]!.body;
        for (let k = 0; k < b.length; k++) {
          if (b[k] === '\n') continue;
          const p = bm.pos(k);
          expect(fileLines[p.line - 1]![p.column - 1]).toBe(b[k]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('findBlocks details', () => {
  it('ignores a byte-order mark and reports startColumn', () => {
    const r = findBlocks('\uFEFF  ```claim\n  claim: a\n  ```');
    expect(r.blocks.map((b) => [b.body, b.startColumn, b.startLine])).toEqual([['claim: a', 3, 2]]);
  });
});
