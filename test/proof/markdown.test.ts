import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BodyMap, blankHtmlComments, findBlocks, infoKind } from '../../src/proof/markdown.js';

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

  it('four spaces of indentation is not a fence (indented code): a claim fence there is an error, never skipped', () => {
    const r = findBlocks(['    ```claim', '    claim: a', '    ```', '```claim', 'claim: b', '```'].join('\n'));
    expect(r.blocks.map((b) => b.body)).toEqual(['claim: b']);
    expect(r.errors.map((e) => [e.pos, e.token])).toEqual([[{ line: 1, column: 5 }, '```claim']]);
    expect(r.errors[0]!.message).toMatch(/^this claim fence is indented by 4 or more spaces, so Markdown reads it as indented code/);
    // prose in indented code is prose
    expect(findBlocks(['    ```python', '    x = 1', '    ```'].join('\n')).errors).toEqual([]);
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

describe('findBlocks in nested Markdown (what the report shows is what is checked)', () => {
  it('reads fences inside block quotes, list items and both, with file positions', () => {
    const md = [
      '> a quote',
      '>',
      '> ```claim',
      '> claim: q',
      '>   kind: x',
      '> ```',
      '',
      '- an item',
      '',
      '  ~~~claim',
      '  claim: l',
      '  ~~~',
      '',
      '1. outer',
      '   > ```define',
      '   > s = 2',
      '   > ```',
    ].join('\n');
    const r = findBlocks(md);
    expect(r.errors).toEqual([]);
    expect(r.blocks.map((b) => [b.kind, b.body, b.fenceLine, b.startLine, b.startColumn, b.lineIndent])).toEqual([
      ['claim', 'claim: q\n  kind: x', 3, 4, 3, [2, 2]],
      ['claim', 'claim: l', 10, 11, 3, [2]],
      ['define', 's = 2', 15, 16, 6, [5]],
    ]);
  });

  it('an unterminated fence inside a quote is an error at its fence', () => {
    const r = findBlocks(['> ```claim', '> claim: a', '', 'after'].join('\n'));
    expect(r.blocks).toEqual([]);
    expect(r.errors.map((e) => [e.pos, e.message])).toEqual([[{ line: 1, column: 3 }, 'unterminated code fence opened at line 1 (close it with ```)']]);
  });

  it('a claim fence swallowed by an HTML block is an error; HTML comments still hide claims', () => {
    const r = findBlocks(['<details>', '```claim', 'claim: a', '```', '</details>'].join('\n'));
    expect(r.blocks).toEqual([]);
    expect(r.errors.map((e) => [e.pos.line, e.pos.column])).toEqual([[2, 1]]);
    expect(r.errors[0]!.message).toMatch(/inside an HTML block/);
    // with a blank line the fence is Markdown again
    const ok = findBlocks(['<details>', '', '```claim', 'claim: a', '```', '', '</details>'].join('\n'));
    expect([ok.errors, ok.blocks.map((b) => b.fenceLine)]).toEqual([[], [3]]);
    expect(findBlocks(['> <!--', '> ```claim', '> claim: a', '> ```', '> -->'].join('\n'))).toEqual({ blocks: [], errors: [] });
  });

  const container = fc.constantFrom(
    { open: '> ', cont: '> ' },
    { open: '- ', cont: '  ' },
    { open: '* ', cont: '  ' },
    { open: '1. ', cont: '   ' },
    { open: '10) ', cont: '    ' },
  );
  const line = fc.stringMatching(/^[a-z0-9][a-z0-9 :#\-[\]{}(),.*^+/]{0,30}$/);

  it('property: a claim nested in any stack of containers is found, and every body character maps back to itself in the file', () => {
    fc.assert(
      fc.property(fc.array(container, { minLength: 1, maxLength: 4 }), fc.array(line, { maxLength: 6 }), fc.constantFrom('```', '~~~', '````'), (stack, body, fence) => {
        // the first line opens every container; later lines continue them
        const first = stack.map((c) => c.open).join('');
        const rest = stack.map((c) => c.cont).join('');
        const md = ['intro', '', first + fence + 'claim', ...body.map((l) => rest + l), rest + fence, '', 'outro'].join('\n');
        const r = findBlocks(md);
        expect(r.errors).toEqual([]);
        expect(r.blocks).toHaveLength(1);
        const b = r.blocks[0]!;
        expect(b.body).toBe(body.join('\n'));
        expect(b.fenceLine).toBe(3);
        const fileLines = md.split('\n');
        expect(fileLines[2]!.slice(b.startColumn - 1).startsWith(fence + 'claim')).toBe(true);
        const bm = new BodyMap(b);
        for (let k = 0; k < b.body.length; k++) {
          if (b.body[k] === '\n') continue;
          const p = bm.pos(k);
          expect(fileLines[p.line - 1]![p.column - 1]).toBe(b.body[k]);
        }
      }),
      { numRuns: 300, seed: 19 },
    );
  });
});

describe('blankHtmlComments (the report renders what the reader read)', () => {
  it('blanks comment blocks, keeps the line count and every block the reader finds', () => {
    const text = 'a\n<!-- note\n```claim\nclaim: x\n```\n-->\n```claim\nclaim: y\n```\ninline <!-- kept --> text\n';
    const out = blankHtmlComments(text);
    expect(out.split('\n').length).toBe(text.split('\n').length);
    expect(out).not.toContain('claim: x');
    expect(out).toContain('claim: y');
    expect(out).toContain('inline <!-- kept --> text');
    expect(findBlocks(out).blocks).toEqual(findBlocks(text).blocks);
    expect(blankHtmlComments('no comment\n')).toBe('no comment\n');
  });
});
