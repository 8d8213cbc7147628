import type { Parser } from 'web-tree-sitter';

/**
 * A Python syntax node copied out of tree-sitter into plain objects. The rules walk parents and
 * fields a lot; tree-sitter's own `parent` re-walks from the root, so one copy per file is
 * cheaper than asking the wasm side again and again.
 */
export interface PyNode {
  readonly type: string;
  /** The field this node fills in its parent (`function`, `left`, `alias`, …), if any. */
  readonly field: string | null;
  /** UTF-16 offsets into the source. */
  readonly start: number;
  readonly end: number;
  readonly named: boolean;
  readonly parent: PyNode | null;
  readonly children: PyNode[];
}

/**
 * Parses `source` and copies the tree. Comments and anonymous tokens that fill no field
 * (punctuation, keywords) are dropped: no rule reads them, and skipping their offsets halves the
 * calls into wasm, which dominate the copy.
 */
export function parsePython(parser: Parser, source: string): PyNode {
  const tree = parser.parse(source);
  if (tree === null) throw new Error('parsePython: tree-sitter returned no tree; report this with the file that caused it');
  const lang = tree.language;
  let info = TYPE_INFO.get(lang);
  if (info === undefined) {
    info = { keep: lang.types.map((t, id) => t !== 'comment' && lang.nodeTypeIsNamed(id)), types: lang.types };
    TYPE_INFO.set(lang, info);
  }
  const { keep, types } = info;
  const fields = lang.fields;
  try {
    const cursor = tree.walk();
    const root: PyNode = { type: cursor.nodeType, field: null, start: cursor.startIndex, end: cursor.endIndex, named: true, parent: null, children: [] };
    let parent = root;
    // Iterative pre-order walk: deep expressions in generated code must not blow the stack.
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const typeId = cursor.nodeTypeId;
        const fieldId = cursor.currentFieldId;
        let node: PyNode | null = null;
        if (keep[typeId] === true || (fieldId !== 0 && types[typeId] !== 'comment')) {
          node = { type: types[typeId] ?? 'ERROR', field: fields[fieldId] ?? null, start: cursor.startIndex, end: cursor.endIndex, named: keep[typeId] === true, parent, children: [] };
          parent.children.push(node);
        }
        if (node !== null && cursor.gotoFirstChild()) {
          parent = node;
          continue;
        }
        let moved = cursor.gotoNextSibling();
        while (!moved) {
          if (!cursor.gotoParent()) break;
          parent = parent.parent ?? root;
          moved = cursor.gotoNextSibling();
        }
        if (!moved) break;
      }
    }
    cursor.delete();
    return root;
  } finally {
    tree.delete();
  }
}

const TYPE_INFO = new WeakMap<object, { keep: boolean[]; types: string[] }>();

/** The first child filling `field`, or null. */
export function fieldOf(node: PyNode, field: string): PyNode | null {
  for (const c of node.children) if (c.field === field) return c;
  return null;
}

/** Every child filling `field`. */
export function fieldsOf(node: PyNode, field: string): PyNode[] {
  return node.children.filter((c) => c.field === field);
}

/** Named children only. */
export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((c) => c.named);
}
