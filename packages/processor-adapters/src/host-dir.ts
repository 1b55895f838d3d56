import { chown, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The USER of processor images (apps/processors/<dir>/Dockerfile). */
export const IMAGE_USER = '1000:1000';

/**
 * The caller's `uid:gid` when it is not root, so artifacts belong to whoever ran the processor;
 * undefined (the image's USER) for root, which should not hand root to a processor.
 */
export function defaultContainerUser(): string | undefined {
  const uid = process.getuid?.();
  return uid === undefined || uid === 0 ? undefined : `${uid}:${process.getgid?.()}`;
}

/**
 * mkdir -p of a run's host directory. As root, the directories it creates go to `owner` (the
 * container's user) so the processor can write; existing ones are left as they are.
 */
export async function prepareHostDir(dir: string, owner: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o755 });
  if (first === undefined || process.getuid?.() !== 0) {
    return;
  }
  const [uid = 1000, gid = uid] = owner.split(':').map(Number);
  // mkdir answers the first directory it made: that one and those below it, down to dir, are new.
  for (let path = dir; path.length >= first.length; path = dirname(path)) {
    await chown(path, uid, gid);
  }
}
