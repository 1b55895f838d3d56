import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { test } from './fixtures.js';

const seen: string[] = [];

describe('tmpDir fixture', () => {
  test('is an empty writable directory', async ({ tmpDir }) => {
    seen.push(tmpDir);
    await writeFile(join(tmpDir, 'a.txt'), 'hello');
    expect(await readFile(join(tmpDir, 'a.txt'), 'utf8')).toBe('hello');
  });

  test('is new for each test, and the last one is gone', ({ tmpDir }) => {
    expect(tmpDir).not.toBe(seen[0]);
    expect(existsSync(seen[0] as string)).toBe(false);
    expect(existsSync(tmpDir)).toBe(true);
  });
});
