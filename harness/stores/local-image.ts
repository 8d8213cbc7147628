import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { InfrastructureError } from '../model/index.js';
import { dockerApi } from './docker-api.js';
import { ensureBinary, findBinary, type RequiredBinary } from './ensure-binary.js';

/**
 * How to build a minimal image from a Debian binary: the binary, the shared libraries `ldd`
 * lists for it, a few host files and generated files, imported as one layer (`docker import`
 * semantics), so no image registry and no base image are needed.
 */
export interface LocalImageRecipe extends RequiredBinary {
  /** Repository, e.g. `localhost/idgate-redis`; the tag is the Debian package's version. */
  readonly repository: string;
  /** Path of the binary inside the image. */
  readonly binaryTarget: string;
  /** Host files copied to the same path (links followed), e.g. `/usr/share/zoneinfo/UTC`. */
  readonly hostFiles?: readonly string[];
  /** Files generated into the image: absolute path → content. */
  readonly files?: Readonly<Record<string, string>>;
  /** Empty, writable directories. */
  readonly dirs?: readonly string[];
  /** Dockerfile instructions applied at import: CMD, ENV, WORKDIR, EXPOSE. */
  readonly changes: readonly string[];
}

/** Options of {@link ensureLocalImage}. */
export interface EnsureLocalImageOptions {
  /** Install the Debian package when missing and root. Default: true. */
  readonly install?: boolean;
  /** Build even when an image of this recipe exists. Default: false. */
  readonly rebuild?: boolean;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** An image that exists in the engine. */
export interface LocalImage {
  /** `repository:tag`. */
  readonly name: string;
  /** The image's id. */
  readonly id: string;
  /** False when an image of the same recipe was already there. */
  readonly built: boolean;
  /** Its size as the engine reports it. */
  readonly sizeBytes: number;
  /** Time spent building (0 when cached). */
  readonly buildMs: number;
}

/** Label holding a digest of the recipe, so a changed recipe (or config) rebuilds the image. */
export const IMAGE_RECIPE_LABEL = 'idgate.image-recipe';

/** `repository:<Debian version of the package>` (epoch dropped, other characters Docker rejects made `-`). */
export async function localImageName(recipe: LocalImageRecipe): Promise<string> {
  return `${recipe.repository}:${await packageVersion(recipe.debianPackage)}`;
}

/**
 * Makes sure the recipe's image exists in the engine: returns the cached one when its recipe
 * label matches, otherwise builds it (installing the Debian package when missing and root).
 * Concurrent builds of the same image in two processes are harmless: the last import wins.
 */
export async function ensureLocalImage(recipe: LocalImageRecipe, client: ContainerRuntimeClient, options: EnsureLocalImageOptions = {}): Promise<LocalImage> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binary = await ensureBinary(recipe, { install: options.install, log });
  const name = await localImageName(recipe);
  const digest = recipeDigest(recipe, name);
  const docker = dockerApi(client);
  await removeUnusedOldImages(client);
  const existing = await docker.getImage(name).inspect().catch(() => undefined);
  if (options.rebuild !== true && existing?.Config?.Labels?.[IMAGE_RECIPE_LABEL] === digest) return { name, id: existing.Id, built: false, sizeBytes: existing.Size, buildMs: 0 };
  const started = Date.now();
  log(`idgate: building image ${name} from ${binary} (Debian's ${recipe.debianPackage})`);
  const root = await mkdtemp(join(tmpdir(), 'idgate-image-'));
  try {
    await assembleRootfs(recipe, binary, root);
    const tar = spawn('tar', ['-C', root, '-c', '--numeric-owner', '--owner=0', '--group=0', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tarErr = '';
    tar.stderr.on('data', (d: Buffer) => (tarErr += d.toString()));
    const tarExit = new Promise<number>((r) => tar.on('close', (code) => r(code ?? 1)));
    // `repo` carries the tag: podman's compat API ignores a separate `tag` parameter on import.
    let error: string | undefined;
    try {
      const progress = await docker.importImage(tar.stdout, { repo: name, changes: [...recipe.changes, `LABEL ${IMAGE_RECIPE_LABEL}=${digest}`] });
      error = /"error(?:Detail)?"\s*:\s*"?([^"}]*)/.exec(await readAll(progress))?.[1];
    } catch (e) {
      tar.kill();
      error = (e as Error).message;
    }
    const code = await tarExit;
    if (code !== 0 || error !== undefined) {
      throw new InfrastructureError(
        'IDGATE_IMAGE_BUILD',
        `ensureLocalImage: importing ${name} failed: ${error ?? `tar exited ${code}: ${tarErr.trim()}`}`,
        `check the engine (podman info / docker info) and free disk space, then run npm run images`,
      );
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  const built = await docker.getImage(name).inspect();
  await removeUnusedOldImages(client);
  const buildMs = Date.now() - started;
  log(`idgate: built ${name} (${(built.Size / 1e6).toFixed(1)} MB) in ${(buildMs / 1000).toFixed(1)} s`);
  return { name, id: built.Id, built: true, sizeBytes: built.Size, buildMs };
}

/**
 * A rebuild moves the tag to the new image and leaves the old one untagged; while a container
 * still runs it, it cannot be removed. Every call sweeps idgate's untagged images that are free.
 */
async function removeUnusedOldImages(client: ContainerRuntimeClient): Promise<void> {
  const docker = dockerApi(client);
  const old = await docker.listImages({ filters: { dangling: ['true'], label: [IMAGE_RECIPE_LABEL] } }).catch(() => []);
  await Promise.all(old.map((i) => docker.getImage(i.Id).remove().catch(() => undefined)));
}

async function assembleRootfs(recipe: LocalImageRecipe, binary: string, root: string): Promise<void> {
  const put = async (from: string, to: string) => {
    await mkdir(join(root, dirname(to)), { recursive: true });
    await copyFile(from, join(root, to));
  };
  // copyFile follows links: Debian's redis-server is a link to redis-check-rdb, and redis picks its
  // mode from argv[0], so the file must land under the recipe's name, not the link's target.
  await put(binary, recipe.binaryTarget);
  for (const lib of await sharedLibraries(binary)) await put(lib, lib);
  for (const file of recipe.hostFiles ?? []) await put(file, file);
  for (const [path, content] of Object.entries(recipe.files ?? {})) {
    await mkdir(join(root, dirname(path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  for (const dir of [...(recipe.dirs ?? []), '/tmp']) await mkdir(join(root, dir), { recursive: true, mode: 0o1777 });
}

/** The absolute paths `ldd` prints for `binary` (the loader included). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const ldd = (await findBinary('ldd')) ?? 'ldd';
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(ldd, [binary], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new InfrastructureError('IDGATE_IMAGE_BUILD', `ensureLocalImage: ldd ${binary} exited ${code}`, 'install libc-bin (ldd) or use official images via IDGATE_REDIS_IMAGE / IDGATE_CLICKHOUSE_IMAGE'))));
  });
  return [...out.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((m) => m[1]!);
}

async function packageVersion(pkg: string): Promise<string> {
  const dpkg = await findBinary('dpkg-query');
  if (dpkg === undefined) return 'local';
  const version = await new Promise<string>((resolve) => {
    const child = spawn(dpkg, ['-W', '-f=${Version}', pkg], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', () => resolve(''));
    child.on('close', () => resolve(text.trim()));
  });
  const tag = version.replace(/^\d+:/, '').replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 120);
  return tag === '' ? 'local' : tag;
}

function recipeDigest(recipe: LocalImageRecipe, name: string): string {
  const { repository: _r, ...rest } = recipe;
  return createHash('sha256').update(JSON.stringify({ name, ...rest })).digest('hex').slice(0, 16);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}
