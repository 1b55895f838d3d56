import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DriverError } from './driver.js';

// The process driver's "image": the files its engine command names. A missing entry is found
// before anything is spawned, since node would start, print "Cannot find module" to engine.log
// and exit, which the lifecycle could only see as a boot time-out.

/** The files a command names: its absolute paths and file: URLs (a loader given to --import). */
function filesOf(command: readonly string[]): string[] {
  const files: string[] = [];
  for (const part of command) {
    if (part.startsWith('file://')) {
      files.push(fileURLToPath(part));
    } else if (isAbsolute(part)) {
      files.push(part);
    }
  }
  return files;
}

/**
 * Rejects with DriverError `image_not_found` when a file the command names does not exist. Only
 * existence is checked: a file that exists but cannot run fails at spawn, as a `driver` error.
 */
export async function requireEntry(command: readonly string[]): Promise<void> {
  for (const file of filesOf(command)) {
    try {
      await access(file);
    } catch (err) {
      throw new DriverError(
        'image_not_found',
        `engine entry ${file} is missing (command: ${command.join(' ')}): ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}

/**
 * What a failed spawn (or its log file, or its directory) becomes. ENOENT from spawn itself is a
 * command not on PATH: the entry is missing, as above. Anything else (EACCES, EMFILE, …) is a
 * `driver` error in the system's words.
 */
export function spawnFailure(err: unknown, command: readonly string[]): DriverError {
  if (err instanceof DriverError) {
    return err;
  }
  const { code, syscall, message } = err as NodeJS.ErrnoException;
  if (code === 'ENOENT' && syscall?.startsWith('spawn') === true) {
    return new DriverError(
      'image_not_found',
      `engine command ${command[0]} was not found: ${message}`,
      {
        cause: err,
      },
    );
  }
  return new DriverError('driver', `spawn ${command.join(' ')}: ${message ?? String(err)}`, {
    cause: err,
  });
}

/**
 * The process driver's image digest: `sha256:` of its entry file, the last file the command
 * names (the bundle's dist/main.js, whose chunk imports carry content hashes, so any rebuild that
 * changes the engine changes it; under tsx, src/main.ts alone), or of the argv as JSON when the
 * command names no file (a command found on PATH). Undefined when the entry file is missing.
 */
export async function entryDigests(command: readonly string[]): Promise<string[] | undefined> {
  const entry = filesOf(command).at(-1);
  const hash = createHash('sha256');
  if (entry === undefined) {
    return [`sha256:${hash.update(JSON.stringify(command)).digest('hex')}`];
  }
  try {
    await pipeline(createReadStream(entry), hash);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new DriverError('driver', `read ${entry}: ${(err as Error).message}`, { cause: err });
  }
  return [`sha256:${hash.digest('hex')}`];
}
