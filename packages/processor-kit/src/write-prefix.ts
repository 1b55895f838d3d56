import { close, constants, open, write } from 'node:fs';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ProcessorError } from './processor-error.js';

const refuse = (path: string, message: string) =>
  new ProcessorError('ERR_WRITE_PREFIX', [{ path, message }]);

function hasDotDot(path: string): boolean {
  return path.split(/[\\/]/).includes('..');
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Expands `{execution_id}` and checks the result is an absolute path without `..` segments or
 * leftover placeholders, under `artifactsRoot` when one is set. Pure: nothing touches the disk.
 */
export function expandWritePrefix(
  raw: string,
  executionId: string,
  artifactsRoot?: string,
): string {
  const expanded = raw.replaceAll('{execution_id}', executionId);
  if (/[{}]/.test(expanded)) {
    throw refuse('/write_prefix', 'unknown placeholder (only {execution_id} is expanded)');
  }
  if (!isAbsolute(expanded)) {
    throw refuse('/write_prefix', 'must be an absolute path');
  }
  if (hasDotDot(expanded)) {
    throw refuse('/write_prefix', 'must not contain .. segments');
  }
  const path = normalize(expanded).replace(/[\\/]+$/, '') || sep;
  if (artifactsRoot !== undefined && !isUnder(path, normalize(artifactsRoot))) {
    throw refuse('/write_prefix', `must lie under ${artifactsRoot}`);
  }
  return path;
}

const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

// The callback API on purpose: a run writes a few small files on the reply's path, and a promise
// FileHandle (open, writeFile, close as three awaited handle calls) measured about 1.5x slower.
// The close is awaited: on a network filesystem the data is only visible to others after it.
function writeNoFollow(path: string, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    open(path, WRITE_FLAGS, 0o644, (openErr, fd) => {
      if (openErr) {
        reject(openErr);
        return;
      }
      const finish = (err: NodeJS.ErrnoException | null) =>
        close(fd, (closeErr) => {
          const failed = err ?? closeErr;
          if (failed) {
            reject(failed);
          } else {
            resolve();
          }
        });
      const writeFrom = (offset: number) => {
        if (offset >= data.byteLength) {
          finish(null);
          return;
        }
        write(fd, data, offset, data.byteLength - offset, null, (err, n) => {
          if (err || n === 0) {
            finish(err ?? Object.assign(new Error(`short write to ${path}`), { code: 'EIO' }));
          } else {
            writeFrom(offset + n);
          }
        });
      };
      writeFrom(0);
    });
  });
}

/** Where one run may write: every path is checked to stay inside `root` (the real prefix). */
export interface ArtifactDir {
  /** The prefix with symlinks resolved; every artifact lives under it. */
  readonly root: string;
  /**
   * Writes `data` at `relPath` (relative, no `..`), creating directories. Refuses any symlink on
   * the way, including the file itself (O_NOFOLLOW): the kit never creates one, so one found
   * under the prefix was planted. Returns the absolute path.
   */
  write(relPath: string, data: string | Uint8Array): Promise<string>;
}

/** Creates the expanded prefix (mkdir -p) and answers a writer confined to it. */
export async function openArtifactDir(
  prefix: string,
  artifactsRoot?: string,
): Promise<ArtifactDir> {
  let root: string;
  let realRoot: string | undefined;
  try {
    await mkdir(prefix, { recursive: true });
    // Side by side: both are lookups, and the prefix exists now.
    [root, realRoot] = await Promise.all([
      realpath(prefix),
      artifactsRoot === undefined ? undefined : realpath(artifactsRoot),
    ]);
  } catch (err) {
    throw refuse('/write_prefix', `cannot create: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  if (realRoot !== undefined && !isUnder(root, realRoot)) {
    throw refuse('/write_prefix', `resolves outside ${artifactsRoot} (symlink)`);
  }
  // Directories already checked in this run (a run writes a handful of files).
  const checked = new Set<string>([root]);

  async function ensureDir(segments: readonly string[], relPath: string): Promise<string> {
    let dir = root;
    for (const segment of segments) {
      dir = join(dir, segment);
      if (checked.has(dir)) {
        continue;
      }
      // mkdir first: in a fresh prefix the directory is new, and a directory this call created
      // cannot be a symlink (mkdir never follows one in its last component: EEXIST). Only an
      // existing entry needs the lstat.
      const created = await mkdir(dir).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') {
            throw err;
          }
          return false;
        },
      );
      if (!created) {
        const stat = await lstat(dir);
        if (stat.isSymbolicLink()) {
          throw refuse(relPath, 'a path component is a symlink');
        }
        if (!stat.isDirectory()) {
          throw refuse(relPath, 'a path component is not a directory');
        }
      }
      checked.add(dir);
    }
    return dir;
  }

  return {
    root,
    async write(relPath, data) {
      if (relPath === '' || isAbsolute(relPath) || relPath.startsWith('~')) {
        throw refuse(relPath, 'artifact paths are relative to write_prefix');
      }
      if (hasDotDot(relPath)) {
        throw refuse(relPath, 'artifact paths must not contain .. segments');
      }
      const segments = relPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
      const file = segments.pop();
      if (file === undefined) {
        throw refuse(relPath, 'artifact path names no file');
      }
      const dir = await ensureDir(segments, relPath);
      const abs = join(dir, file);
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      await writeNoFollow(abs, bytes).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'ELOOP' ? refuse(relPath, 'the file is a symlink') : err;
      });
      return abs;
    },
  };
}
