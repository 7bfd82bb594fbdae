import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatWhere, WideproofError } from '../../src/core/errors.js';
import { InputError, UsageError } from '../../src/cli/errors.js';
import { ExprError } from '../../src/expr/errors.js';
import { ClaimError } from '../../src/proof/check/types.js';

describe('WideproofError', () => {
  it('keeps only the known position fields, frozen', () => {
    const e = new WideproofError('m', { file: 'a.md', line: 3, column: undefined, token: 'x' });
    expect(e.where).toEqual({ file: 'a.md', line: 3, token: 'x' });
    expect(Object.isFrozen(e.where)).toBe(true);
    expect(new WideproofError('m').where).toEqual({});
  });

  it("subclasses are WideproofErrors named after their class, with one position shape", () => {
    const x = new ExprError("unknown name 'bb' at column 4", { token: 'bb', column: 4 });
    expect(x).toBeInstanceOf(WideproofError);
    expect(x.name).toBe('ExprError');
    expect(x.where).toEqual({ token: 'bb', offset: 4 });
    expect(new ClaimError('no').name).toBe('ClaimError');
    const u = new UsageError('bad');
    expect(u.exitCode).toBe(2);
    expect(u.name).toBe('UsageError');
  });

  it('InputError formats file:line:column before the message', () => {
    expect(new InputError('not a number', 'x.csv', 4, 2).message).toBe('x.csv:4:2: not a number');
    expect(new InputError('empty', 'x.csv').message).toBe('x.csv: empty');
    expect(new InputError('plain').message).toBe('plain');
    expect(new InputError('m', 'f', 7).where).toEqual({ file: 'f', line: 7 });
  });

  it('property: formatWhere lists the known leading parts in order', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.option(fc.nat(), { nil: undefined }), fc.option(fc.nat(), { nil: undefined }), (file, line, column) => {
        const parts = [file, line, column].filter((p) => p !== undefined).map(String);
        expect(formatWhere({ file, line, column })).toBe(parts.join(':'));
      }),
      { numRuns: 200, seed: 12 },
    );
    expect(formatWhere({ line: 3 })).toBe('');
  });
});
