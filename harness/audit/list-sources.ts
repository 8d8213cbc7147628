import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { languageOf, type SourceFile } from './source-file.js';

/** Directory names {@link listSources} skips unless told otherwise: vendored and generated trees. */
export const DEFAULT_SKIP_DIRS: readonly string[] = ['.git', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache'];

/** Options of {@link listSources}. */
export interface ListSourcesOptions {
  /** Globs (relative to the root, picomatch syntax) of the SSOT modules: listed as allowed, not scanned. Default: none. */
  readonly allow?: readonly string[];
  /** Globs of files to leave out altogether. Default: none. */
  readonly exclude?: readonly string[];
  /** Directory names never entered below the root. Default: {@link DEFAULT_SKIP_DIRS}. */
  readonly skipDirs?: readonly string[];
}

/** What {@link listSources} found. */
export interface SourceListing {
  /** Files to scan, sorted by relative path. */
  readonly files: SourceFile[];
  /** Relative paths of source files inside allowed SSOT modules. */
  readonly allowed: string[];
}

/**
 * Lists the Python and TS/JS files under `root` (a directory or one file). Symbolic links are not
 * followed, so a link cycle cannot loop.
 */
export async function listSources(root: string, options: ListSourcesOptions = {}): Promise<SourceListing> {
  const isAllowed = picomatch([...(options.allow ?? [])], { dot: true });
  const isExcluded = picomatch([...(options.exclude ?? [])], { dot: true });
  const skip = new Set(options.skipDirs ?? DEFAULT_SKIP_DIRS);
  const files: SourceFile[] = [];
  const allowed: string[] = [];
  const consider = (path: string, rel: string) => {
    const language = languageOf(rel);
    if (language === null || ((options.exclude?.length ?? 0) > 0 && isExcluded(rel))) return;
    if ((options.allow?.length ?? 0) > 0 && isAllowed(rel)) allowed.push(rel);
    else files.push({ path, rel, language });
  };
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!skip.has(e.name)) await walk(join(dir, e.name), childRel);
      } else if (e.isFile()) consider(join(dir, e.name), childRel);
    }
  };
  await walk(root, '');
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  allowed.sort();
  return { files, allowed };
}
