import ts from 'typescript';
import type { AuditRuleId } from './audit-rule.js';
import type { RawHit } from './audit-hit.js';
import type { SymbolPath } from './symbol-path.js';
import { collectTsScopes, resolveTs, type TsScopeTable } from './ts-scopes.js';

const UUID_VERSIONS = new Set(['v1', 'v4', 'v6', 'v7']);
const NANOID_EXPORTS = new Set(['nanoid', 'customAlphabet', 'customRandom']);
const ROUNDING = new Set(['floor', 'round', 'trunc', 'ceil', 'abs']);
const STRINGIFYING_METHODS = new Set(['toString', 'toFixed', 'toPrecision']);
const CHAR_PICKERS = new Set(['charAt', 'at', 'fromCharCode', 'codePointAt', 'charCodeAt']);
const ARITHMETIC = new Set([
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
]);

/** The script kind TypeScript should parse a file as, from its extension. */
export function scriptKindFor(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts')) return ts.ScriptKind.TS;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** The minting rule a resolved path falls under, if any (Math.random is judged by its use). */
export function mintingRule(path: SymbolPath): AuditRuleId | null {
  if (path === null || path.length === 0) return null;
  const [mod, ...rest] = path;
  if (mod === 'crypto' && rest[rest.length - 1] === 'randomUUID' && rest.length <= 2 && (rest.length === 1 || rest[0] === 'webcrypto')) return 'js/crypto-random-uuid';
  // `uuid` itself was v4 in uuid@3 (`require('uuid')()`); `uuid/v4` is the old deep import.
  if (mod === 'uuid' && (rest.length === 0 || (rest.length === 1 && UUID_VERSIONS.has(rest[0]!)))) return 'js/uuid-package';
  if (mod === 'nanoid' && (rest.length === 0 || (rest.length === 1 && NANOID_EXPORTS.has(rest[0]!)))) return 'js/nanoid';
  return null;
}

/**
 * Finds ID minting in one TS/JS file with the TypeScript parser (no type checker, no program:
 * one file at a time). Comments and strings cannot match; a local, parameter or type-only import
 * named like a minting function shadows it; type positions are never read.
 */
export function scanTypeScript(source: string, fileName: string): RawHit[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, scriptKindFor(fileName));
  const table = collectTsScopes(file);
  const hits: RawHit[] = [];
  const push = (rule: AuditRuleId, n: ts.Node) => hits.push({ rule, start: n.getStart(file), end: n.end });

  const visit = (n: ts.Node): void => {
    if (ts.isTypeNode(n) || ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isImportEqualsDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const path = resolveTs(table, n.expression);
      const rule = mintingRule(path);
      if (rule !== null) push(rule, n);
      else if (path !== null && path.length === 2 && path[0] === 'Math' && path[1] === 'random' && ts.isCallExpression(n)) {
        const text = becomesString(n, table);
        if (text !== null) push('js/math-random-string', text);
      }
    } else if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && isValueReference(n)) {
      const rule = mintingRule(resolveTs(table, n));
      if (rule !== null) push(rule, n);
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return hits;
}

/** A maximal reference used as a value: a callback argument, a property value, a return. */
function isValueReference(n: ts.Expression): boolean {
  const p = n.parent;
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) return p.expression !== n && (p.arguments?.includes(n) ?? false);
  if (ts.isPropertyAssignment(p)) return p.initializer === n;
  if (ts.isShorthandPropertyAssignment(p)) return true;
  if (ts.isReturnStatement(p) || ts.isArrayLiteralExpression(p) || ts.isExportAssignment(p)) return true;
  if (ts.isArrowFunction(p)) return p.body === n;
  if (ts.isParameter(p) || ts.isPropertyDeclaration(p)) return p.initializer === n;
  if (ts.isBinaryExpression(p)) return p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && !ts.isIdentifier(p.left);
  return false;
}

/** Where a `Math.random()` result is turned into text (the random-string idiom), else null. */
function becomesString(call: ts.CallExpression, table: TsScopeTable): ts.Node | null {
  let cur: ts.Node = call;
  for (;;) {
    const p = cur.parent;
    if (p === undefined) return null;
    if (ts.isParenthesizedExpression(p)) {
      cur = p;
    } else if (ts.isBinaryExpression(p) && ARITHMETIC.has(p.operatorToken.kind)) {
      const other = p.left === cur ? p.right : p.left;
      if (p.operatorToken.kind === ts.SyntaxKind.PlusToken && (ts.isStringLiteralLike(other) || ts.isTemplateExpression(other))) return p;
      cur = p;
    } else if (ts.isTemplateSpan(p)) {
      return cur;
    } else if (ts.isElementAccessExpression(p) && p.argumentExpression === cur) {
      return p; // chars[Math.floor(Math.random() * chars.length)]
    } else if (ts.isPropertyAccessExpression(p) && p.expression === cur && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      return STRINGIFYING_METHODS.has(p.name.text) ? p.parent : null;
    } else if (ts.isCallExpression(p) && p.arguments.includes(cur as ts.Expression)) {
      const callee = resolveTs(table, p.expression);
      if (callee !== null && callee.length === 2 && callee[0] === 'Math' && ROUNDING.has(callee[1]!)) cur = p;
      else if (ts.isIdentifier(p.expression) && (p.expression.text === 'String' || p.expression.text === 'parseInt' || p.expression.text === 'Number')) {
        if (p.expression.text === 'String') return p;
        cur = p;
      } else if (ts.isPropertyAccessExpression(p.expression) && CHAR_PICKERS.has(p.expression.name.text)) return p;
      else return null;
    } else return null;
  }
}
