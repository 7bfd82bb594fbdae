/**
 * Reading a dataset of inputs (one input per row) for `kernel` and
 * `simulate`: CSV or JSON, every bad field named by file and line.
 */
import { InputError } from './errors.js';

/** Parsed inputs plus the file line of each row (for messages). */
export interface ParsedInputs {
  rows: number[][];
  lines: number[];
}

/** A plain decimal number as the CLI accepts it in fields and options. */
export const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses CSV (one input per row, comma-separated; '#' comments, blank lines and one header line allowed) or JSON. */
export function parseInputs(text: string, file: string): ParsedInputs {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError('the inputs file is empty', file);
  if (file.toLowerCase().endsWith('.json') || trimmed.startsWith('[')) return parseJsonInputs(text, file);
  return parseCsvInputs(text, file);
}

function parseJsonInputs(text: string, file: string): ParsedInputs {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, file);
  }
  if (!Array.isArray(data)) throw new InputError('JSON inputs must be an array of arrays of numbers', file);
  if (data.length === 0) throw new InputError('no inputs (the array is empty)', file);
  const rows: number[][] = [];
  // line of each row: find the line where the k-th inner '[' opens (best effort)
  const lines = jsonRowLines(text, data.length);
  data.forEach((r, i) => {
    if (!Array.isArray(r)) throw new InputError(`input row ${i + 1} is not an array of numbers`, file, lines[i]);
    if (r.length === 0) throw new InputError(`input row ${i + 1} is empty`, file, lines[i]);
    r.forEach((v, k) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new InputError(`input row ${i + 1}, entry ${k + 1} is not a finite number (${JSON.stringify(v)})`, file, lines[i]);
    });
    if (rows.length > 0 && r.length !== rows[0].length)
      throw new InputError(`input row ${i + 1} has ${r.length} entries, expected ${rows[0].length} (as row 1)`, file, lines[i]);
    rows.push(r as number[]);
  });
  return { rows, lines };
}

function jsonRowLines(text: string, count: number): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length && lines.length < count; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[') {
      depth++;
      if (depth === 2) lines.push(line);
    } else if (ch === ']') depth--;
    else if (depth === 1 && ch !== ',' && !/\s/.test(ch)) lines.push(line); // a non-array row
  }
  while (lines.length < count) lines.push(line);
  return lines;
}

function parseCsvInputs(text: string, file: string): ParsedInputs {
  const rows: number[][] = [];
  const lines: number[] = [];
  const all = text.split(/\r?\n/);
  let headerSeen = false;
  for (let li = 0; li < all.length; li++) {
    const raw = all[li];
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const fields = t.split(',').map((f) => f.trim());
    const numeric = fields.map((f) => NUMBER_RE.test(f));
    if (rows.length === 0 && !headerSeen && numeric.every((ok) => !ok) && fields.every((f) => f !== '')) {
      headerSeen = true; // a header line of column names
      continue;
    }
    const row: number[] = [];
    for (let k = 0; k < fields.length; k++) {
      if (!numeric[k]) {
        const col = raw.indexOf(fields[k]) + 1 || undefined;
        throw new InputError(
          `input row ${rows.length + 1}, field ${k + 1} ${fields[k] === '' ? 'is empty' : `'${fields[k]}' is not a number`}`,
          file,
          li + 1,
          fields[k] === '' ? undefined : col,
        );
      }
      const v = Number(fields[k]);
      if (!Number.isFinite(v))
        throw new InputError(`input row ${rows.length + 1}, field ${k + 1} '${fields[k]}' is not a finite number`, file, li + 1);
      row.push(v);
    }
    if (rows.length > 0 && row.length !== rows[0].length)
      throw new InputError(
        `input row ${rows.length + 1} has ${row.length} entries, expected ${rows[0].length} (as row 1)`,
        file,
        li + 1,
      );
    rows.push(row);
    lines.push(li + 1);
  }
  if (rows.length === 0) throw new InputError('no inputs (no data rows)', file);
  return { rows, lines };
}
