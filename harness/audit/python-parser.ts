import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

/**
 * The shared tree-sitter parser for Python. The grammar is the `.wasm` that the
 * `tree-sitter-python` npm package ships, loaded from disk once per thread: nothing is
 * downloaded at run time.
 */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}
