import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrain } from '../brain/open-brain.js';
import { hashEngineKey, keyMatches } from './engine-key.js';
import { createKeySet } from './key-set.js';

const OLD = hashEngineKey('old-key');
const NEW = hashEngineKey('new-key');
const OTHER = hashEngineKey('other-key');

let tmp: TmpDir;
beforeAll(async () => {
  tmp = await createTmpDir('keyset-');
});
afterAll(() => tmp.remove());

/** Opens the brain file, builds the set as a start-up would, and closes again. */
function startWith(file: string, envHash: string | undefined, replace?: string[]): string[] {
  const brain = openBrain(join(tmp.path, file));
  try {
    const keys = createKeySet(brain.db, envHash);
    if (replace !== undefined) {
      keys.replace(replace);
    }
    return [...keys.hashes()];
  } finally {
    brain.close();
  }
}

describe('createKeySet start-up precedence', () => {
  it('seeds from ENGINE_KEY_HASH when nothing is stored, and is empty with neither', () => {
    expect(startWith('seed.sqlite', OLD)).toEqual([OLD]);
    expect(startWith('none.sqlite', undefined)).toEqual([]);
  });

  it('keeps a stored set over an unchanged ENGINE_KEY_HASH (mid-rotation and after it)', () => {
    startWith('rotate.sqlite', OLD, [OLD, NEW]);
    expect(startWith('rotate.sqlite', OLD).sort()).toEqual([OLD, NEW].sort());
    startWith('rotate.sqlite', OLD, [NEW]);
    // The container's env still names the old key, yet the revoked key stays revoked.
    expect(startWith('rotate.sqlite', OLD)).toEqual([NEW]);
  });

  it('lets a changed ENGINE_KEY_HASH (a re-created container) replace the stored set', () => {
    startWith('recreate.sqlite', OLD, [OLD, NEW]);
    expect(startWith('recreate.sqlite', OTHER)).toEqual([OTHER]);
  });

  it('keeps a stored set when ENGINE_KEY_HASH is unset (unsetting never opens the engine)', () => {
    startWith('unset.sqlite', OLD, [NEW]);
    expect(startWith('unset.sqlite', undefined)).toEqual([NEW]);
  });

  it('without a brain holds ENGINE_KEY_HASH alone and refuses an unpersistable replace', () => {
    const keys = createKeySet(undefined, OLD);
    expect(keys.hashes()).toEqual([OLD]);
    expect(() => keys.replace([NEW])).toThrow(/brain is not open/);
  });
});

describe('keyMatches', () => {
  it('accepts a key whose SHA-256 is any hash of the set, nothing else', () => {
    expect(keyMatches('new-key', [OLD, NEW])).toBe(true);
    expect(keyMatches('old-key', [OLD, NEW])).toBe(true);
    expect(keyMatches('old-key ', [OLD, NEW])).toBe(false);
    expect(keyMatches('', [OLD])).toBe(false);
    expect(keyMatches('old-key', [])).toBe(false);
  });
});
