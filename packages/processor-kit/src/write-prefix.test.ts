import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessorError } from './processor-error.js';
import { expandWritePrefix, openArtifactDir } from './write-prefix.js';

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isProcessorError(err)) {
      return err.code;
    }
    throw err;
  }
  return 'accepted';
}

describe('expandWritePrefix', () => {
  it('expands {execution_id} and normalizes', () => {
    expect(expandWritePrefix('/a/b/{execution_id}/', 'e1')).toBe('/a/b/e1');
    expect(expandWritePrefix('/a//{execution_id}/out', 'e1')).toBe('/a/e1/out');
  });

  it.each([
    ['relative/{execution_id}', 'relative'],
    ['/a/../etc', 'dotdot'],
    ['/a/{run_id}', 'unknown placeholder'],
  ])('refuses %s (%s)', (raw) => {
    expect(() => expandWritePrefix(raw, 'e1')).toThrow(/write_prefix/);
  });

  it('confines to the artifacts root when one is set', () => {
    expect(expandWritePrefix('/data/runs/{execution_id}', 'e1', '/data')).toBe('/data/runs/e1');
    expect(() => expandWritePrefix('/datax/e1', 'e1', '/data')).toThrow();
    expect(() => expandWritePrefix('/tmp/e1', 'e1', '/data')).toThrow();
  });
});

describe('openArtifactDir', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'write-prefix-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('creates the prefix and nested directories, and overwrites on a re-run', async () => {
    const dir = await openArtifactDir(join(tmp, 'a', 'b'));
    const path = await dir.write('outputs/deep/x.txt', 'one');
    expect(path).toBe(join(tmp, 'a', 'b', 'outputs', 'deep', 'x.txt'));
    await dir.write('outputs/deep/x.txt', 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
  });

  it.each([['/etc/passwd'], ['../escape.txt'], ['outputs/../../escape.txt'], ['']])(
    'refuses the artifact path %j',
    async (rel) => {
      const dir = await openArtifactDir(join(tmp, 'p'));
      expect(await refused(dir.write(rel, 'x'))).toBe('ERR_WRITE_PREFIX');
      expect(await readdir(tmp)).toEqual(['p']);
    },
  );

  it('refuses a symlinked directory planted under the prefix, creating nothing outside', async () => {
    const outside = join(tmp, 'outside');
    await mkdir(outside);
    await mkdir(join(tmp, 'p'));
    await symlink(outside, join(tmp, 'p', 'outputs'));
    const dir = await openArtifactDir(join(tmp, 'p'));
    expect(await refused(dir.write('outputs/sub/x.txt', 'x'))).toBe('ERR_WRITE_PREFIX');
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a symlinked file planted under the prefix, leaving its target untouched', async () => {
    const target = join(tmp, 'target.txt');
    await writeFile(target, 'keep');
    await mkdir(join(tmp, 'p'));
    await symlink(target, join(tmp, 'p', 'outputs.json'));
    const dir = await openArtifactDir(join(tmp, 'p'));
    expect(await refused(dir.write('outputs.json', 'x'))).toBe('ERR_WRITE_PREFIX');
    expect(await readFile(target, 'utf8')).toBe('keep');
  });

  it('refuses a prefix that resolves outside the artifacts root through a symlink', async () => {
    const root = join(tmp, 'root');
    await mkdir(root);
    await symlink(tmp, join(root, 'link'));
    expect(await refused(openArtifactDir(join(root, 'link', 'x'), root))).toBe('ERR_WRITE_PREFIX');
  });
});
