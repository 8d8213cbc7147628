import { fieldOf, fieldsOf, namedChildren, type PyNode } from './python-tree.js';
import type { SymbolPath } from './symbol-path.js';

/** How a name got its value. */
export type PyBinding =
  | { readonly pos: number; readonly kind: 'path'; readonly path: readonly string[] }
  | { readonly pos: number; readonly kind: 'alias'; readonly value: PyNode; readonly scope: PyScope }
  | { readonly pos: number; readonly kind: 'opaque' };

/** A Python scope: module, function, lambda, class or comprehension. */
export interface PyScope {
  readonly kind: 'module' | 'function' | 'class' | 'comprehension';
  readonly node: PyNode;
  readonly parent: PyScope | null;
  readonly bindings: Map<string, PyBinding[]>;
  readonly globals: Set<string>;
  readonly nonlocals: Set<string>;
}

/** Scopes of one module, found by the node that opens each. */
export interface PyScopes {
  readonly module: PyScope;
  readonly byNode: Map<PyNode, PyScope>;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/** Public names `from uuid import *` binds that mint. */
const STAR_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  uuid: ['uuid1', 'uuid3', 'uuid4', 'uuid5', 'uuid6', 'uuid7', 'uuid8', 'UUID'],
  secrets: ['token_hex', 'token_urlsafe', 'token_bytes'],
  time: ['time', 'time_ns', 'monotonic', 'perf_counter'],
};

/**
 * Collects every binding of every scope: imports (as module paths), simple aliases
 * (`u = uuid.uuid4`, resolved lazily) and everything else as opaque locals, which shadow.
 */
export function collectPyScopes(root: PyNode, text: (n: PyNode) => string): PyScopes {
  const module: PyScope = newScope('module', root, null);
  const byNode = new Map<PyNode, PyScope>([[root, module]]);

  const bind = (scope: PyScope, name: string, b: PyBinding) => {
    let list = scope.bindings.get(name);
    if (list === undefined) scope.bindings.set(name, (list = []));
    list.push(b);
  };
  const bindTargets = (scope: PyScope, target: PyNode | null) => {
    if (target === null) return;
    if (target.type === 'identifier') bind(scope, text(target), { pos: target.start, kind: 'opaque' });
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression', 'tuple', 'list', 'as_pattern_target'].includes(target.type)) {
      for (const c of namedChildren(target)) bindTargets(scope, c);
    }
  };
  const bindParams = (scope: PyScope, params: PyNode | null) => {
    if (params === null) return;
    for (const p of namedChildren(params)) {
      if (p.type === 'identifier') bindTargets(scope, p);
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') bindTargets(scope, fieldOf(p, 'name'));
      else if (p.type === 'typed_parameter' || p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
        const id = namedChildren(p).find((c) => c.type === 'identifier');
        if (id !== undefined) bindTargets(scope, id);
      }
    }
  };

  const visit = (node: PyNode, scope: PyScope): void => {
    switch (node.type) {
      case 'function_definition':
      case 'class_definition': {
        const name = fieldOf(node, 'name');
        if (name !== null) bind(scope, text(name), { pos: node.start, kind: 'opaque' });
        const inner = newScope(node.type === 'class_definition' ? 'class' : 'function', node, scope);
        byNode.set(node, inner);
        for (const c of node.children) {
          if (c.field === 'parameters') bindParams(inner, c);
          // Decorators, defaults, bases and annotations run in the enclosing scope.
          if (c.field === 'body') visit(c, inner);
          else if (c.field !== 'name') visit(c, scope);
        }
        return;
      }
      case 'lambda': {
        const inner = newScope('function', node, scope);
        byNode.set(node, inner);
        bindParams(inner, fieldOf(node, 'parameters'));
        for (const c of node.children) visit(c, c.field === 'body' ? inner : scope);
        return;
      }
      case 'import_statement':
        for (const n of fieldsOf(node, 'name')) {
          if (n.type === 'aliased_import') {
            const alias = fieldOf(n, 'alias');
            const dotted = fieldOf(n, 'name');
            if (alias !== null && dotted !== null) bind(scope, text(alias), { pos: node.start, kind: 'path', path: dottedParts(dotted, text) });
          } else {
            // `import a.b` binds `a` to the top package.
            const first = dottedParts(n, text)[0];
            if (first !== undefined) bind(scope, first, { pos: node.start, kind: 'path', path: [first] });
          }
        }
        return;
      case 'import_from_statement': {
        const mod = fieldOf(node, 'module_name');
        // Relative imports (`from . import uuid`) name the project's own modules: opaque.
        const modPath = mod !== null && mod.type === 'dotted_name' ? dottedParts(mod, text) : null;
        for (const c of node.children) {
          if (c.type === 'wildcard_import' && modPath !== null) {
            for (const name of STAR_EXPORTS[modPath.join('.')] ?? []) bind(scope, name, { pos: node.start, kind: 'path', path: [...modPath, name] });
          }
          if (c.field !== 'name') continue;
          const nameNode = c.type === 'aliased_import' ? fieldOf(c, 'name') : c;
          const local = c.type === 'aliased_import' ? fieldOf(c, 'alias') : c;
          if (nameNode === null || local === null) continue;
          const localName = c.type === 'aliased_import' ? text(local) : (dottedParts(local, text)[0] ?? '');
          bind(scope, localName, modPath === null ? { pos: node.start, kind: 'opaque' } : { pos: node.start, kind: 'path', path: [...modPath, ...dottedParts(nameNode, text)] });
        }
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of namedChildren(node)) if (c.type === 'identifier') (node.type === 'global_statement' ? scope.globals : scope.nonlocals).add(text(c));
        return;
      case 'assignment': {
        const left = fieldOf(node, 'left');
        let right = fieldOf(node, 'right');
        // `a = b = uuid4`: the inner assignment is the right side.
        while (right !== null && right.type === 'assignment') right = fieldOf(right, 'right');
        if (left !== null && left.type === 'identifier' && right !== null) bind(scope, text(left), { pos: node.start, kind: 'alias', value: right, scope });
        else bindTargets(scope, left);
        break;
      }
      case 'augmented_assignment':
        bindTargets(scope, fieldOf(node, 'left'));
        break;
      case 'named_expression':
        bindTargets(scope, fieldOf(node, 'name'));
        break;
      case 'for_statement':
        bindTargets(scope, fieldOf(node, 'left'));
        break;
      case 'as_pattern':
        bindTargets(scope, fieldOf(node, 'alias'));
        break;
      default:
        if (COMPREHENSIONS.has(node.type)) {
          const inner = newScope('comprehension', node, scope);
          byNode.set(node, inner);
          for (const c of node.children) if (c.type === 'for_in_clause') bindTargets(inner, fieldOf(c, 'left'));
          for (const c of node.children) visit(c, inner);
          return;
        }
    }
    for (const c of node.children) visit(c, scope);
  };
  visit(root, module);
  return { module, byNode };
}

function newScope(kind: PyScope['kind'], node: PyNode, parent: PyScope | null): PyScope {
  return { kind, node, parent, bindings: new Map(), globals: new Set(), nonlocals: new Set() };
}

function dottedParts(node: PyNode, text: (n: PyNode) => string): string[] {
  if (node.type === 'identifier') return [text(node)];
  return namedChildren(node).filter((c) => c.type === 'identifier').map(text);
}

/**
 * The binding `name` has at offset `pos` seen from `scope`, by Python's rules: class scopes are
 * invisible to nested functions, `global`/`nonlocal` skip ahead. Within a scope the latest
 * binding before `pos` wins (else the first): imports and shadowing defs come before their use.
 */
export function lookupPy(scopes: PyScopes, scope: PyScope, name: string, pos: number): PyBinding | null {
  let s: PyScope | null = scope.globals.has(name) ? scopes.module : scope;
  const origin = s;
  while (s !== null) {
    if (!(s.kind === 'class' && s !== origin) && !s.nonlocals.has(name)) {
      const list = s.bindings.get(name);
      if (list !== undefined && list.length > 0) {
        let pick: PyBinding = list[0]!;
        for (const b of list) if (b.pos <= pos) pick = b;
        return pick;
      }
    }
    s = s.parent;
  }
  return null;
}

/** Resolves an expression to a module path through imports, aliases and attribute access. */
export function resolvePy(scopes: PyScopes, scope: PyScope, node: PyNode, text: (n: PyNode) => string, depth = 0): SymbolPath {
  if (depth > 20) return null;
  switch (node.type) {
    case 'identifier': {
      const b = lookupPy(scopes, scope, text(node), node.start);
      if (b === null || b.kind === 'opaque') return null;
      if (b.kind === 'path') return b.path;
      // An alias is resolved where it was written; a self-reference (`x = x.y`) stops at depth.
      return b.value === node ? null : resolvePy(scopes, b.scope, b.value, text, depth + 1);
    }
    case 'attribute': {
      const obj = fieldOf(node, 'object');
      const attr = fieldOf(node, 'attribute');
      if (obj === null || attr === null) return null;
      const base = resolvePy(scopes, scope, obj, text, depth + 1);
      return base === null ? null : [...base, text(attr)];
    }
    case 'parenthesized_expression': {
      const inner = namedChildren(node)[0];
      return inner === undefined ? null : resolvePy(scopes, scope, inner, text, depth + 1);
    }
    case 'call': {
      // importlib.import_module("uuid") and __import__("uuid") hand back the module.
      const fn = fieldOf(node, 'function');
      const args = fieldOf(node, 'arguments');
      if (fn === null || args === null) return null;
      const first = namedChildren(args)[0];
      const literal = first === undefined ? null : plainStringValue(first, text);
      if (literal === null) return null;
      const isImporter = (fn.type === 'identifier' && text(fn) === '__import__' && lookupPy(scopes, scope, '__import__', node.start) === null) || (resolvePy(scopes, scope, fn, text, depth + 1)?.join('.') === 'importlib.import_module');
      return isImporter ? literal.split('.') : null;
    }
    default:
      return null;
  }
}

/** The value of a plain string literal (no interpolation, no concatenation), else null. */
export function plainStringValue(node: PyNode, text: (n: PyNode) => string): string | null {
  if (node.type !== 'string') return null;
  let value = '';
  for (const c of node.children) {
    if (c.type === 'interpolation') return null;
    if (c.type === 'string_content') value += text(c);
    if (c.type === 'escape_sequence') return null;
  }
  return value;
}
