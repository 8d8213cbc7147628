import ts from 'typescript';
import type { SymbolPath } from './symbol-path.js';

/** How a name got its value in a TS/JS scope. */
export type TsBinding =
  | { readonly pos: number; readonly kind: 'path'; readonly path: readonly string[] }
  | { readonly pos: number; readonly kind: 'alias'; readonly value: ts.Expression; readonly member: readonly string[] }
  | { readonly pos: number; readonly kind: 'opaque' };

/** Bindings declared directly in one scope-opening node. */
export type TsScopeTable = Map<ts.Node, Map<string, TsBinding[]>>;

/** Module specifiers that name the same module (`node:crypto` is `crypto`). */
export function normalizeModule(specifier: string): string[] {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.startsWith('@') ? [bare.split('/').slice(0, 2).join('/'), ...bare.split('/').slice(2)] : bare.split('/');
  // `nanoid/non-secure` and `nanoid/async` export the same minting functions.
  return parts.filter((p) => p !== '' && p !== 'non-secure' && p !== 'async' && p !== 'index.js');
}

function isFunctionScope(n: ts.Node): boolean {
  return ts.isFunctionLike(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isClassStaticBlockDeclaration(n);
}

function isBlockScope(n: ts.Node): boolean {
  return isFunctionScope(n) || ts.isBlock(n) || ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n) || ts.isCatchClause(n) || ts.isCaseBlock(n) || ts.isClassLike(n);
}

/** The nearest enclosing node where `let`/`const`/`class` (block) or `var`/`function` (function) bind. */
export function enclosingScope(n: ts.Node, functionLevel: boolean): ts.Node {
  let a = n.parent;
  while (a !== undefined) {
    if (functionLevel ? isFunctionScope(a) : isBlockScope(a)) return a;
    a = a.parent;
  }
  return n.getSourceFile();
}

/**
 * Collects every runtime binding of a file: imports as module paths, `require()`s and simple
 * aliases (resolved lazily), everything else (locals, parameters, classes) as opaque, which
 * shadows. Type-only imports bind nothing at run time and are skipped.
 */
export function collectTsScopes(file: ts.SourceFile): TsScopeTable {
  const table: TsScopeTable = new Map();
  const bind = (scope: ts.Node, name: string, b: TsBinding) => {
    let m = table.get(scope);
    if (m === undefined) table.set(scope, (m = new Map<string, TsBinding[]>()));
    let list = m.get(name);
    if (list === undefined) m.set(name, (list = []));
    list.push(b);
  };
  const bindName = (scope: ts.Node, name: ts.BindingName, value: ts.Expression | undefined, member: readonly string[]) => {
    if (ts.isIdentifier(name)) {
      bind(scope, name.text, value === undefined ? { pos: name.pos, kind: 'opaque' } : { pos: name.pos, kind: 'alias', value, member });
    } else if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key = el.propertyName !== undefined && (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName)) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
        bindName(scope, el.name, el.dotDotDotToken === undefined && key !== undefined ? value : undefined, key === undefined ? member : [...member, key]);
      }
    } else {
      for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindName(scope, el.name, undefined, member);
    }
  };

  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const clause = n.importClause;
      const mod = normalizeModule(n.moduleSpecifier.text);
      if (clause !== undefined && !clause.isTypeOnly) {
        const scope = enclosingScope(n, true);
        if (clause.name !== undefined) bind(scope, clause.name.text, { pos: n.pos, kind: 'path', path: mod });
        const nb = clause.namedBindings;
        if (nb !== undefined && ts.isNamespaceImport(nb)) bind(scope, nb.name.text, { pos: n.pos, kind: 'path', path: mod });
        if (nb !== undefined && ts.isNamedImports(nb)) {
          for (const el of nb.elements) {
            if (el.isTypeOnly) continue;
            const imported = (el.propertyName ?? el.name).text;
            bind(scope, el.name.text, { pos: n.pos, kind: 'path', path: imported === 'default' ? mod : [...mod, imported] });
          }
        }
      }
      return;
    }
    if (ts.isImportEqualsDeclaration(n) && !n.isTypeOnly) {
      const ref = n.moduleReference;
      const scope = enclosingScope(n, true);
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) bind(scope, n.name.text, { pos: n.pos, kind: 'path', path: normalizeModule(ref.expression.text) });
      else bind(scope, n.name.text, { pos: n.pos, kind: 'opaque' });
      return;
    }
    if (ts.isVariableDeclaration(n)) {
      const list = n.parent;
      const functionLevel = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === 0;
      const inLoopHead = ts.isVariableDeclarationList(list) && (ts.isForOfStatement(list.parent) || ts.isForInStatement(list.parent));
      bindName(enclosingScope(n, functionLevel), n.name, inLoopHead ? undefined : n.initializer, []);
    } else if (ts.isParameter(n)) {
      const fn = n.parent;
      bindName(fn, n.name, undefined, []);
    } else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isEnumDeclaration(n)) && n.name !== undefined) {
      bind(enclosingScope(n, ts.isFunctionDeclaration(n)), n.name.text, { pos: n.pos, kind: 'opaque' });
    } else if ((ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name !== undefined) {
      bind(n, n.name.text, { pos: n.pos, kind: 'opaque' });
    } else if (ts.isModuleDeclaration(n) && ts.isIdentifier(n.name)) {
      bind(enclosingScope(n, false), n.name.text, { pos: n.pos, kind: 'opaque' });
    } else if (ts.isCatchClause(n) && n.variableDeclaration !== undefined) {
      bindName(n, n.variableDeclaration.name, undefined, []);
      visitChildren(n.block);
      return;
    }
    visitChildren(n);
  };
  const visitChildren = (n: ts.Node) => ts.forEachChild(n, visit);
  visit(file);
  return table;
}

const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);

/**
 * Resolves an expression to a module path through imports, `require`, aliases, destructuring and
 * property access. Unbound `crypto` is Web Crypto (`['crypto', 'webcrypto']`), unbound `Math` is
 * `['Math']`; `default` segments vanish (CommonJS interop).
 */
export function resolveTs(table: TsScopeTable, expr: ts.Node, depth = 0): SymbolPath {
  if (depth > 20) return null;
  if (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isAwaitExpression(expr)) {
    return resolveTs(table, expr.expression, depth + 1);
  }
  if (ts.isIdentifier(expr)) {
    const b = lookupTs(table, expr);
    if (b === null) return globalPath(expr.text);
    if (b.kind === 'opaque') return null;
    if (b.kind === 'path') return b.path;
    const base = resolveTs(table, b.value, depth + 1);
    return base === null ? null : normalizePath([...base, ...b.member]);
  }
  if (ts.isPropertyAccessExpression(expr) || (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression))) {
    const name = ts.isPropertyAccessExpression(expr) ? expr.name.text : (expr.argumentExpression as ts.StringLiteralLike).text;
    const base = resolveTs(table, expr.expression, depth + 1);
    return base === null ? null : normalizePath([...base, name]);
  }
  if (ts.isCallExpression(expr) && expr.arguments.length === 1 && ts.isStringLiteralLike(expr.arguments[0]!)) {
    const spec = expr.arguments[0].text;
    const isRequire = ts.isIdentifier(expr.expression) && expr.expression.text === 'require' && lookupTs(table, expr.expression) === null;
    if (isRequire || expr.expression.kind === ts.SyntaxKind.ImportKeyword) return normalizeModule(spec);
  }
  return null;
}

function globalPath(name: string): SymbolPath {
  if (name === 'crypto') return ['crypto', 'webcrypto'];
  if (name === 'Math') return ['Math'];
  if (GLOBAL_OBJECTS.has(name)) return ['global'];
  return null;
}

function normalizePath(path: readonly string[]): SymbolPath {
  let p = path.filter((s) => s !== 'default');
  if (p[0] === 'global' && p.length >= 2) {
    const g = globalPath(p[1]!);
    if (g === null || g[0] === 'global') return p[1] === 'global' || GLOBAL_OBJECTS.has(p[1]!) ? normalizePath(['global', ...p.slice(2)]) : null;
    p = [...g, ...p.slice(2)];
  }
  return p;
}

/** The binding an identifier use sees: the innermost scope that declares it. */
export function lookupTs(table: TsScopeTable, id: ts.Identifier): TsBinding | null {
  for (let a: ts.Node | undefined = id.parent; a !== undefined; a = a.parent) {
    const list = table.get(a)?.get(id.text);
    if (list !== undefined && list.length > 0) {
      let pick = list[0]!;
      for (const b of list) if (b.pos <= id.pos) pick = b;
      return pick;
    }
  }
  return null;
}
