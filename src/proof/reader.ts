/**
 * Reads a proof file (SPEC section 2): finds the define/network/claim blocks,
 * parses their bodies and builds the typed model. Pure: takes the text, never
 * touches the disk, never evaluates user text as code. All errors in the file
 * are collected and returned sorted by position.
 */
import { ErrorSink, didYouMean, sortErrors, type FilePos, type ProofError } from './errors.js';
import { ClaimContext, type ExprParser } from './context.js';
import { readDefineBlock } from './defines.js';
import { emptyDefinitions } from './exprs.js';
import { COMMON_FIELDS, kindModule } from './kinds/index.js';
import { findBlocks } from './markdown.js';
import { defaultExprParser } from './parser.js';
import { CLAIM_KIND_NAMES, DEFAULT_TOL, type Claim, type ClaimBase, type ClaimKindName, type NetworkSpec, type ProofFile } from './model.js';
import { readNetwork } from './network.js';
import { describeNode, parseYamlBlock, type YMap, type YScalar } from './yaml.js';

export const READER_LIMITS = { maxFileChars: 2_000_000, maxClaims: 1000, maxNetworks: 64, maxErrors: 200 } as const;

export interface ReadOptions {
  /** The expression parser (defaults to src/expr's parseExpr with the statistic vocabulary). */
  parseExpr?: ExprParser;
}

/** A claim block that could not be read (its errors are also in `errors`). */
export interface FailedClaim {
  /** The claim id when it could be read. */
  id?: string;
  kind?: string;
  fenceLine: number;
  errors: ProofError[];
}

export interface ReadResult {
  /** Present when the file has no errors. */
  file?: ProofFile;
  /** Everything that could be read (valid claims, networks, definitions), even when there are errors; absent only when the file could not be read at all. */
  partial?: ProofFile;
  /** Claim blocks with errors, so a checker may report them as ERROR verdicts instead of stopping. */
  failedClaims: FailedClaim[];
  errors: ProofError[];
}

const CLAIM_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export function readProofFile(path: string, text: string, options: ReadOptions = {}): ReadResult {
  const sink = new ErrorSink(path);
  let file: ProofFile | undefined;
  const failed: FailedClaim[] = [];
  try {
    file = readInto(path, text, options, sink, failed);
  } catch (e) {
    // Never let an internal failure escape as a stack trace: report it at the top of the file.
    sink.add({ line: 1, column: 1 }, `internal error while reading the file: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  return finish(sink, file, failed);
}

function finish(sink: ErrorSink, file: ProofFile | undefined, failed: FailedClaim[]): ReadResult {
  let errors = sortErrors(sink.errors);
  if (errors.length > READER_LIMITS.maxErrors) {
    const last = errors[READER_LIMITS.maxErrors - 1]!;
    errors = errors.slice(0, READER_LIMITS.maxErrors);
    errors.push({ file: last.file, line: last.line, column: last.column, message: `too many errors; stopping after ${READER_LIMITS.maxErrors}` });
  }
  const failedClaims = failed.map((f) => ({ ...f, errors: sortErrors(f.errors) }));
  if (errors.length === 0 && file) return { file, partial: file, failedClaims, errors };
  return file ? { partial: file, failedClaims, errors } : { failedClaims, errors };
}

function readInto(path: string, text: string, options: ReadOptions, sink: ErrorSink, failed: FailedClaim[]): ProofFile | undefined {
  const parser = options.parseExpr ?? defaultExprParser;
  if (text.length > READER_LIMITS.maxFileChars) {
    sink.add({ line: 1, column: 1 }, `file too large (${text.length} characters; at most ${READER_LIMITS.maxFileChars})`);
    return undefined;
  }
  const md = findBlocks(text);
  for (const e of md.errors) sink.add(e.pos, e.message, e.token);
  const defs = emptyDefinitions();
  const networks: NetworkSpec[] = [];
  const broken = new Set<string>();
  const networkLines = new Map<string, number>();
  const claims: Claim[] = [];
  const ids = new Map<string, FilePos>();
  let claimBlocks = 0;
  for (const block of md.blocks) {
    if (sink.count > READER_LIMITS.maxErrors) break;
    const fencePos: FilePos = { line: block.fenceLine, column: 1 };
    if (block.kind === 'define') {
      readDefineBlock(block, defs, sink);
      continue;
    }
    if (block.kind === 'network') {
      if (networks.length + broken.size >= READER_LIMITS.maxNetworks) {
        sink.add(fencePos, `too many network blocks (at most ${READER_LIMITS.maxNetworks})`);
        continue;
      }
      const before = sink.count;
      const root = parseYamlBlock(block, sink);
      const net = sink.count === before || root ? readNetwork(block, root, defs, networkLines, sink) : null;
      const guess = net ? net.name : networkNameGuess(root);
      if (!networkLines.has(guess)) networkLines.set(guess, net ? net.pos.line : block.startLine);
      if (net) networks.push(net);
      else broken.add(guess);
      continue;
    }
    claimBlocks++;
    if (claimBlocks > READER_LIMITS.maxClaims) {
      if (claimBlocks === READER_LIMITS.maxClaims + 1) sink.add(fencePos, `too many claims (at most ${READER_LIMITS.maxClaims})`);
      continue;
    }
    const before = sink.count;
    const root = parseYamlBlock(block, sink);
    let claim: Claim | null = null;
    let meta: { id?: string; kind?: string } = {};
    if (!root) {
      if (sink.count === before) sink.add(fencePos, 'empty claim block', 'claim');
    } else if (root.kind !== 'map') {
      sink.add(root.pos, `a claim block must be a YAML mapping of fields, not ${describeNode(root)}`);
    } else {
      const ctx = new ClaimContext(sink, defs, networks, parser, root, fencePos, broken);
      claim = readClaim(ctx, block.fenceLine, ids);
      meta = peekIdKind(root);
    }
    if (claim && sink.count === before) claims.push(claim);
    else {
      if (sink.count === before) sink.add(fencePos, 'claim could not be read');
      failed.push({ ...meta, fenceLine: block.fenceLine, errors: sink.errors.slice(before) });
    }
  }
  if (claimBlocks === 0) {
    sink.add({ line: 1, column: 1 }, 'no claim block in the file (a proof file needs at least one ```claim block)');
  }
  return { path, defines: defs.scope, definitions: defs, networks, claims };
}

function peekIdKind(root: YMap): { id?: string; kind?: string } {
  const out: { id?: string; kind?: string } = {};
  for (const e of root.entries) {
    if (e.value.kind !== 'scalar' || e.value.value === null) continue;
    if (e.key === 'claim' && out.id === undefined) out.id = e.value.text.trim();
    if (e.key === 'kind' && out.kind === undefined) out.kind = e.value.text.trim();
  }
  return out;
}

function networkNameGuess(root: ReturnType<typeof parseYamlBlock>): string {
  if (root && root.kind === 'map') {
    const e = root.entries.find((x) => x.key === 'name');
    if (e && e.value.kind === 'scalar' && e.value.value !== null) return e.value.text.trim();
  }
  return 'net';
}

function readClaim(ctx: ClaimContext, fenceLine: number, ids: Map<string, FilePos>): Claim | null {
  const { sink, node } = ctx;
  // Duplicate fields.
  const seen = new Set<string>();
  let ok = true;
  for (const e of node.entries) {
    if (seen.has(e.key)) {
      sink.add(e.keyPos, `duplicate field '${e.key}'`, e.key);
      ok = false;
    }
    seen.add(e.key);
  }
  // id
  let id = '';
  let idPos: FilePos = ctx.blockPos;
  const ide = ctx.entry('claim');
  if (!ide) {
    ctx.missing('claim', ' (the claim id)');
    ok = false;
  } else {
    const v = ide.value;
    idPos = v.pos;
    if (v.kind !== 'scalar' || v.value === null || !CLAIM_ID.test(v.text.trim())) {
      sink.add(v.kind === 'scalar' && v.value === null ? ide.keyPos : v.pos, "the claim id must be a word of letters, digits and _ . : - (e.g. relu-arccos-1)", v.kind === 'scalar' ? v.text || 'claim' : 'claim');
      ok = false;
    } else {
      id = v.text.trim();
      const prev = ids.get(id);
      if (prev) {
        sink.add(v.pos, `duplicate claim id '${id}' (first used at line ${prev.line})`, id);
        ok = false;
      } else ids.set(id, v.pos);
    }
  }
  // kind
  const ke = ctx.entry('kind');
  let kindName: ClaimKindName | null = null;
  if (!ke) {
    ctx.missing('kind', ` (one of ${CLAIM_KIND_NAMES.join(', ')})`);
    ok = false;
  } else {
    const v = ke.value;
    const t = v.kind === 'scalar' && v.value !== null ? v.text.trim() : '';
    if ((CLAIM_KIND_NAMES as readonly string[]).includes(t)) kindName = t as ClaimKindName;
    else {
      sink.add(v.kind === 'scalar' && v.value === null ? ke.keyPos : v.pos, `unknown claim kind '${t}'${didYouMean(t, CLAIM_KIND_NAMES)} (one of ${CLAIM_KIND_NAMES.join(', ')})`, t || 'kind');
      ok = false;
    }
  }
  const kind = kindName ? kindModule(kindName)! : null;
  // Unknown and missing fields (data-driven from the kind table; kinds report the same, deduplicated).
  if (kind) {
    for (const r of kind.fields.required) if (!ctx.entry(r)) ctx.missing(r);
    const allowed = [...COMMON_FIELDS.required, ...COMMON_FIELDS.optional, ...kind.fields.required, ...kind.fields.optional];
    for (const e of node.entries) {
      if (!allowed.includes(e.key)) {
        const other = CLAIM_KIND_NAMES.map((n) => kindModule(n)!).filter((k) => k.fields.required.includes(e.key) || k.fields.optional.includes(e.key)).map((k) => k.kind);
        const hint = other.length ? ` (it belongs to ${other.join('/')} claims)` : didYouMean(e.key, allowed);
        sink.add(e.keyPos, `unknown field '${e.key}' for ${/^[aeiou]/.test(kind.kind) ? 'an' : 'a'} ${kind.kind} claim${hint}`, e.key);
        ok = false;
      }
    }
  }
  // expect
  let expect: 'holds' | 'fails' = 'holds';
  const ee = ctx.entry('expect');
  if (ee) {
    const v = ee.value;
    const t = v.kind === 'scalar' && v.value !== null ? v.text.trim() : '';
    if (t === 'holds' || t === 'fails') expect = t;
    else {
      sink.add(v.kind === 'scalar' && v.value === null ? ee.keyPos : v.pos, `field 'expect' must be 'holds' or 'fails', not '${t}'`, t || 'expect');
      ok = false;
    }
  }
  // tol
  let tol: number | undefined;
  const te = ctx.entry('tol');
  if (te) {
    const v = te.value;
    if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isFinite(v.value) || v.value <= 0 || v.value >= 1) {
      sink.add(v.pos, "field 'tol' must be a number between 0 and 1 (a relative tolerance, e.g. 1e-9)", v.kind === 'scalar' ? v.text || 'tol' : 'tol');
      ok = false;
    } else tol = v.value;
  }
  if (tol === undefined && (kindName === 'identity' || kindName === 'chain' || kindName === 'exact')) tol = DEFAULT_TOL;
  const title = textField(ctx, 'title');
  const note = textField(ctx, 'note');
  if (title === null || note === null) ok = false;
  if (!kind) return null;
  const base: ClaimBase = { id, kind: kind.kind, expect, pos: idPos, fenceLine };
  if (tol !== undefined) base.tol = tol;
  if (typeof title === 'string') base.title = title;
  if (typeof note === 'string') base.note = note;
  const claim = kind.parse(ctx, base);
  return ok ? claim : null;
}

function textField(ctx: ClaimContext, key: string): string | undefined | null {
  const e = ctx.entry(key);
  if (!e) return undefined;
  const v = e.value;
  if (v.kind !== 'scalar' || v.value === null) {
    ctx.sink.add(v.kind === 'scalar' ? e.keyPos : v.pos, `field '${key}' must be text`, key);
    return null;
  }
  return (v as YScalar).text;
}
