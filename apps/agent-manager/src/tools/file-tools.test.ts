import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test as kit } from '@agentplane/testkit';
import { describe, expect } from 'vitest';
import type { AgentTool } from './agent-tool.js';
import { fileListTool, fileReadTool, fileWriteTool } from './file-tools.js';

const limits = { maxReadBytes: 1000, maxWriteBytes: 1000, maxListEntries: 3 };
const AGENT = 'agt_0000000000aa';
const SIBLING = 'agt_0000000000bb';

const test = kit.extend('tools', async ({ tmpDir }) => {
  const root = join(tmpDir, 'files');
  const call = (tool: AgentTool, input: Record<string, unknown>, agentId = AGENT) =>
    tool.run(input, {
      agentId,
      stepId: '1',
      toolCallId: 'call_1',
      signal: new AbortController().signal,
    });
  return {
    root,
    read: (input: Record<string, unknown>, agentId?: string) =>
      call(fileReadTool(root, limits), input, agentId),
    write: (input: Record<string, unknown>, agentId?: string) =>
      call(fileWriteTool(root, limits), input, agentId),
    list: (input: Record<string, unknown>, agentId?: string) =>
      call(fileListTool(root, limits), input, agentId),
  };
});

describe('file tools', () => {
  test('write, read and list round trip inside the agent folder (created on demand)', async ({
    tools,
  }) => {
    await expect(tools.write({ path: 'notes/a.txt', content: 'héllo' })).resolves.toEqual({
      path: 'notes/a.txt',
      bytes: 6,
    });
    await expect(tools.read({ path: 'notes/a.txt' })).resolves.toMatchObject({
      content: 'héllo',
      bytes: 6,
    });
    await expect(tools.read({ path: './notes//a.txt', encoding: 'base64' })).resolves.toMatchObject(
      {
        content: Buffer.from('héllo').toString('base64'),
      },
    );
    await tools.write({ path: 'notes/a.txt', content: 'replaced' });
    await expect(tools.read({ path: 'notes/a.txt' })).resolves.toMatchObject({
      content: 'replaced',
    });
    await expect(tools.list({})).resolves.toEqual({
      path: '',
      entries: [{ name: 'notes', type: 'dir' }],
      truncated: false,
    });
    // The atomic write leaves no temp file behind.
    expect(await readdir(join(tools.root, AGENT, 'notes'))).toEqual(['a.txt']);
    expect(await readFile(join(tools.root, AGENT, 'notes/a.txt'), 'utf8')).toBe('replaced');
  });

  test('traversal, absolute paths and NUL bytes are refused', async ({ tools }) => {
    await mkdir(tools.root, { recursive: true });
    await writeFile(join(tools.root, 'x'), 'outside');
    for (const path of ['../x', '/etc/passwd', 'a/../../x', 'a/../b', '..']) {
      await expect(tools.read({ path }), path).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
      await expect(tools.write({ path, content: 'x' }), path).rejects.toMatchObject({
        code: 'PATH_OUTSIDE_ROOT',
      });
    }
    await expect(tools.read({ path: 'a\0b' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tools.read({ path: 'missing.txt' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await readFile(join(tools.root, 'x'), 'utf8')).toBe('outside');
  });

  test('symlinks out of the folder (to /etc, to a sibling agent) are refused; inside → inside is fine', async ({
    tools,
  }) => {
    await tools.write({ path: 'mine.txt', content: 'mine' });
    await tools.write({ path: 'secret.txt', content: 'sibling secret' }, SIBLING);
    const dir = join(tools.root, AGENT);
    await symlink('/etc', join(dir, 'etc'));
    await symlink('/etc/passwd', join(dir, 'passwd'));
    await symlink(join(tools.root, SIBLING), join(dir, 'sibling'));
    await symlink(join(dir, 'mine.txt'), join(dir, 'alias.txt'));
    await symlink('/nonexistent/target', join(dir, 'dangling'));

    for (const path of ['etc/passwd', 'passwd', 'sibling/secret.txt', 'dangling']) {
      await expect(tools.read({ path }), path).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
    }
    for (const path of [
      'etc/new.txt',
      'sibling/secret.txt',
      'sibling/new/deep.txt',
      'passwd',
      'dangling',
    ]) {
      await expect(tools.write({ path, content: 'pwned' }), path).rejects.toMatchObject({
        code: 'PATH_OUTSIDE_ROOT',
      });
    }
    await expect(tools.list({ path: 'sibling' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
    expect(await readFile(join(tools.root, SIBLING, 'secret.txt'), 'utf8')).toBe('sibling secret');
    expect(await readdir(join(tools.root, SIBLING))).toEqual(['secret.txt']);

    await expect(tools.read({ path: 'alias.txt' })).resolves.toMatchObject({ content: 'mine' });
    await tools.write({ path: 'alias.txt', content: 'through the link' });
    await expect(tools.read({ path: 'mine.txt' })).resolves.toMatchObject({
      content: 'through the link',
    });
  });

  test('size caps: read and write over the limit → TOO_LARGE; list truncates', async ({
    tools,
  }) => {
    await expect(tools.write({ path: 'big.txt', content: 'x'.repeat(1001) })).rejects.toMatchObject(
      {
        code: 'TOO_LARGE',
        details: { bytes: 1001, limit: 1000 },
      },
    );
    await mkdir(join(tools.root, AGENT), { recursive: true });
    await writeFile(join(tools.root, AGENT, 'big.txt'), 'x'.repeat(1001));
    await expect(tools.read({ path: 'big.txt' })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    for (const name of ['b', 'c', 'd']) {
      await tools.write({ path: name, content: name });
    }
    const listed = (await tools.list({ path: '.' })) as {
      entries: { name: string }[];
      truncated: boolean;
    };
    expect(listed.entries.map((e) => e.name)).toEqual(['b', 'big.txt', 'c']);
    expect(listed.truncated).toBe(true);
  });

  test('folders are not files and files are not folders', async ({ tools }) => {
    await tools.write({ path: 'd/f.txt', content: 'f' });
    await expect(tools.read({ path: 'd' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tools.write({ path: 'd', content: 'x' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(tools.list({ path: 'd/f.txt' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tools.read({ path: 'x' }, '../evil')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
