import type { Parser } from 'web-tree-sitter';
import type { RawHit } from './audit-hit.js';
import { isCounterName, isIdName } from './id-name.js';
import { collectPyScopes, plainStringValue, resolvePy, type PyScope, type PyScopes } from './python-scopes.js';
import { fieldOf, namedChildren, parsePython, type PyNode } from './python-tree.js';
import type { SymbolPath } from './symbol-path.js';

const UUID_MINTERS = new Set(['uuid1', 'uuid4', 'uuid6', 'uuid7', 'uuid8']);
const TOKEN_MINTERS = new Set(['token_hex', 'token_urlsafe']);
const CLOCKS = new Set(['time', 'time_ns']);
/** Builtins a value passes through unchanged in meaning (the ID is still the same ID). */
const PASS_THROUGH_BUILTINS = new Set(['str', 'int', 'round', 'hex', 'float', 'abs', 'format', 'repr', 'bytes']);
const STRINGIFYING_BUILTINS = new Set(['str', 'hex', 'format', 'repr']);
/** Methods on a str/bytes/UUID that keep it the same ID, reshaped. */
const RESHAPING_METHODS = new Set(['replace', 'upper', 'lower', 'strip', 'lstrip', 'rstrip', 'zfill', 'encode', 'decode', 'hex', 'ljust', 'rjust', 'removeprefix', 'removesuffix']);
const UUID_ATTRIBUTES = new Set(['hex', 'int', 'urn', 'bytes', 'bytes_le', 'fields', 'time_low', 'node', 'clock_seq']);
/** Keyword arguments that hand a value on to the field being declared (`Field(default_factory=…)`). */
const FORWARDING_KEYWORDS = new Set(['default', 'default_factory', 'factory']);
/** Where a bare reference to a minting function is used as a value (a factory, a callback). */
const VALUE_POSITIONS = new Set(['argument_list', 'keyword_argument', 'default_parameter', 'typed_default_parameter', 'pair', 'list', 'tuple', 'set', 'return_statement', 'assignment', 'lambda']);

interface Flow {
  /** The outermost expression the minted value reaches while it stays the same ID. */
  readonly top: PyNode;
  /** The first string-building node it entered (f-string, format call, `%`, `+`), if any. */
  readonly stringNode: PyNode | null;
  /** The slice that cut it, if any. */
  readonly truncation: PyNode | null;
  /** It was subtracted from or subtracted: a duration, not a timestamp. */
  readonly elapsed: boolean;
}

/**
 * Finds ID minting in one Python file. Works on the syntax tree only: comments, strings and
 * docstrings cannot match, a local that shadows `uuid4` is not the library's, annotations are
 * never read. Throws only on a parser failure.
 */
export function scanPython(parser: Parser, source: string): RawHit[] {
  const root = parsePython(parser, source);
  const text = (n: PyNode) => source.slice(n.start, n.end);
  const scopes = collectPyScopes(root, text);
  const hits: RawHit[] = [];
  const resolve = (n: PyNode): SymbolPath => resolvePy(scopes, scopeAt(scopes, n), n, text);

  const visit = (node: PyNode): void => {
    // Annotations and imports are never minting; their subtrees hold no calls that run here.
    if (node.type === 'type' || node.type === 'import_statement' || node.type === 'import_from_statement') return;
    if (node.type === 'call') {
      const fn = fieldOf(node, 'function');
      if (fn !== null) checkCall(node, resolve(fn));
    } else if ((node.type === 'identifier' || node.type === 'attribute') && isValueReference(node, text)) {
      const path = resolve(node);
      if (isUuidMinter(path)) hits.push({ rule: 'py/uuid', start: node.start, end: node.end });
    }
    for (const c of node.children) visit(c);
  };

  const checkCall = (call: PyNode, path: SymbolPath): void => {
    if (path === null || path.length !== 2) return;
    if (isUuidMinter(path)) {
      const flow = flowUp(call, text);
      const cut = flow.truncation;
      hits.push(cut === null ? { rule: 'py/uuid', start: call.start, end: call.end } : { rule: 'py/uuid-truncated', start: cut.start, end: cut.end });
    } else if (path[0] === 'secrets' && TOKEN_MINTERS.has(path[1]!)) {
      const flow = flowUp(call, text);
      if (inIdPosition(flow.top, text)) hits.push({ rule: 'py/secrets-token-id', start: call.start, end: call.end });
    } else if (path[0] === 'time' && CLOCKS.has(path[1]!)) {
      const flow = flowUp(call, text);
      if (flow.elapsed || flow.stringNode === null) return;
      if (hasCounter(flow.stringNode, call, text) || inIdPosition(flow.top, text)) {
        hits.push({ rule: 'py/time-counter-id', start: flow.stringNode.start, end: flow.stringNode.end });
      }
    }
  };

  visit(root);
  return hits;
}

function isUuidMinter(path: SymbolPath): boolean {
  return path !== null && path.length === 2 && path[0] === 'uuid' && UUID_MINTERS.has(path[1]!);
}

/** The scope whose names `node` sees. */
function scopeAt(scopes: PyScopes, node: PyNode): PyScope {
  let child = node;
  for (let a = node.parent; a !== null; child = a, a = a.parent) {
    const s = scopes.byNode.get(a);
    if (s === undefined) continue;
    if (s.kind === 'comprehension' || child.field === 'body') return s;
  }
  return scopes.module;
}

/** A maximal name or attribute chain used as a value, not called, not an assignment alias. */
function isValueReference(node: PyNode, text: (n: PyNode) => string): boolean {
  const p = node.parent;
  if (p === null || !VALUE_POSITIONS.has(p.type)) return false;
  if (p.type === 'keyword_argument' || p.type === 'pair' || p.type === 'default_parameter' || p.type === 'typed_default_parameter' || p.type === 'lambda') return node.field === 'value' || node.field === 'body';
  if (p.type === 'assignment') {
    // `u = uuid.uuid4` is an alias, tracked by scope resolution; flag where the alias is used.
    const left = fieldOf(p, 'left');
    return node.field === 'right' && left !== null && left.type !== 'identifier' && text(left) !== '';
  }
  return true;
}

/** Follows a minted value outward while it stays the same ID. */
function flowUp(start: PyNode, text: (n: PyNode) => string): Flow {
  let cur = start;
  let stringNode: PyNode | null = null;
  let truncation: PyNode | null = null;
  let elapsed = false;
  const enterString = (n: PyNode) => {
    stringNode ??= n;
  };
  for (;;) {
    const p = cur.parent;
    if (p === null) break;
    if (p.type === 'parenthesized_expression' || p.type === 'conditional_expression' || p.type === 'await' || p.type === 'concatenated_string') {
      cur = p;
    } else if (p.type === 'attribute' && cur.field === 'object') {
      const name = text(fieldOf(p, 'attribute') ?? p);
      const called = p.parent !== null && p.parent.type === 'call' && p.field === 'function';
      if (called && RESHAPING_METHODS.has(name)) {
        cur = p.parent!;
        if (name === 'hex' || name === 'decode') enterString(cur);
      } else if (called && (name === 'format' || name === 'join')) {
        break; // the value is the template, not an argument: rare, and not an ID build
      } else if (!called && UUID_ATTRIBUTES.has(name)) {
        cur = p;
        if (name === 'hex' || name === 'urn') enterString(cur);
      } else break;
    } else if (p.type === 'subscript' && cur.field === 'value') {
      if (!namedChildren(p).some((c) => c.type === 'slice')) break;
      truncation ??= p;
      cur = p;
    } else if (p.type === 'argument_list' && p.parent?.type === 'call') {
      const call = p.parent;
      const fn = fieldOf(call, 'function');
      if (fn === null) break;
      if (fn.type === 'identifier' && PASS_THROUGH_BUILTINS.has(text(fn))) {
        if (STRINGIFYING_BUILTINS.has(text(fn))) enterString(call);
      } else if (fn.type === 'attribute' && text(fieldOf(fn, 'attribute') ?? fn) === 'format') {
        enterString(call);
      } else break;
      cur = call;
    } else if (p.type === 'interpolation') {
      const str = p.parent;
      if (str === null) break;
      enterString(str);
      cur = str;
    } else if (p.type === 'binary_operator') {
      const op = text(fieldOf(p, 'operator') ?? p);
      if (op === '-') elapsed = true;
      if (op === '%' || op === '+') {
        const other = cur.field === 'left' ? fieldOf(p, 'right') : fieldOf(p, 'left');
        if (other !== null && (other.type === 'string' || other.type === 'concatenated_string' || op === '%')) enterString(p);
      }
      cur = p;
    } else if ((p.type === 'tuple' || p.type === 'list') && p.parent !== null) {
      const gp = p.parent;
      if (gp.type === 'binary_operator' && p.field === 'right' && text(fieldOf(gp, 'operator') ?? gp) === '%') {
        enterString(gp);
        cur = gp;
      } else if (gp.type === 'argument_list' && gp.parent?.type === 'call' && text(fieldOf(fieldOf(gp.parent, 'function') ?? gp, 'attribute') ?? gp) === 'join') {
        enterString(gp.parent);
        cur = gp.parent;
      } else break;
    } else if (p.type === 'lambda' && cur.field === 'body') {
      cur = p;
    } else if (p.type === 'keyword_argument' && FORWARDING_KEYWORDS.has(text(fieldOf(p, 'name') ?? p)) && p.parent?.parent?.type === 'call') {
      cur = p.parent.parent;
    } else break;
  }
  return { top: cur, stringNode, truncation, elapsed };
}

/** True when the value at `top` lands in a place that holds an ID. */
function inIdPosition(top: PyNode, text: (n: PyNode) => string): boolean {
  const p = top.parent;
  if (p === null) return false;
  switch (p.type) {
    case 'assignment':
    case 'augmented_assignment': {
      if (top.field !== 'right') return false;
      return targetIsId(fieldOf(p, 'left'), text);
    }
    case 'keyword_argument':
      return top.field === 'value' && isIdName(text(fieldOf(p, 'name') ?? p));
    case 'default_parameter':
    case 'typed_default_parameter':
      return top.field === 'value' && isIdName(text(fieldOf(p, 'name') ?? p));
    case 'pair': {
      const key = fieldOf(p, 'key');
      if (top.field !== 'value' || key === null) return false;
      const s = plainStringValue(key, text);
      return isIdName(s ?? text(key));
    }
    case 'named_expression':
      return isIdName(text(fieldOf(p, 'name') ?? p));
    case 'return_statement': {
      for (let a = p.parent; a !== null; a = a.parent) {
        if (a.type === 'function_definition') return isIdName(text(fieldOf(a, 'name') ?? a));
        if (a.type === 'lambda') return false;
      }
      return false;
    }
    default:
      return false;
  }
}

function targetIsId(left: PyNode | null, text: (n: PyNode) => string): boolean {
  if (left === null) return false;
  if (left.type === 'identifier') return isIdName(text(left));
  if (left.type === 'attribute') return isIdName(text(fieldOf(left, 'attribute') ?? left));
  if (left.type === 'subscript') {
    const key = fieldOf(left, 'subscript');
    const s = key === null ? null : plainStringValue(key, text);
    return s !== null && isIdName(s);
  }
  return false;
}

/** True when the string built at `node` also takes a counter (`{n}`, `next(seq)`, `self._count`). */
function hasCounter(node: PyNode, clockCall: PyNode, text: (n: PyNode) => string): boolean {
  const within = (n: PyNode): boolean => {
    if (n === clockCall) return false;
    if (n.type === 'identifier' && isCounterName(text(n))) return n.field !== 'function';
    if (n.type === 'attribute') {
      const attr = fieldOf(n, 'attribute');
      if (attr !== null && isCounterName(text(attr)) && n.field !== 'function') return true;
    }
    if (n.type === 'call') {
      const fn = fieldOf(n, 'function');
      if (fn !== null && fn.type === 'identifier' && text(fn) === 'next') return true;
    }
    if (n.type === 'string_content' || n.type === 'format_specifier') return false;
    return n.children.some(within);
  };
  return node.children.some(within);
}

