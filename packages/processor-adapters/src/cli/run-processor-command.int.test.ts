import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@agentplane/testkit';
import { afterAll, beforeAll, expect } from 'vitest';
import { silentLogger } from '../adapter.js';
import { runProcessorCommand } from './run-processor-command.js';

// The CLI with --adapter remote against text/summarize served by the kit on loopback (from its
// sources, as `pnpm dev` runs it).
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
let processor: ChildProcess;
let url: string;

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  processor = spawn(
    process.execPath,
    ['--import', 'tsx', join(repo, 'apps/processors/text_summarize/src/main.ts')],
    {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', CI: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
});

afterAll(async () => {
  if (processor.exitCode === null) {
    processor.kill('SIGTERM');
    await once(processor, 'exit');
  }
});

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const done = runProcessorCommand({
    argv,
    env: {},
    cwd: repo,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    logger: silentLogger,
  });
  return done.then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
}

test('run-processor --adapter remote --json prints the envelope and exits 0', async ({
  tmpDir,
}) => {
  const result = await cli([
    '--ref',
    'text/summarize@1',
    '--adapter',
    'remote',
    '--url',
    url,
    '--mode',
    'mock',
    '--write-prefix',
    join(tmpDir, '{execution_id}/'),
    '--inputs-json',
    '@apps/processors/text_summarize/examples/inputs.json',
    '--execution-id',
    'cli-e1',
    '--json',
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const envelope = JSON.parse(result.stdout);
  expect(envelope).toMatchObject({ status: 'success', execution_id: 'cli-e1' });
  expect(existsSync(join(tmpDir, 'cli-e1', 'outputs', 'response.txt'))).toBe(true);
});

test('an error envelope exits 1; bad usage exits 2 with the usage', async ({ tmpDir }) => {
  const invalid = await cli([
    '--ref',
    'text/summarize@1',
    '--adapter',
    'remote',
    '--url',
    url,
    '--write-prefix',
    join(tmpDir, '{execution_id}/'),
    '--inputs-json',
    '{"text": 42}',
  ]);
  expect(invalid.code).toBe(1);
  expect(invalid.stdout).toMatch(/ERR_INPUTS_INVALID/);

  const usage = await cli(['--ref', 'text/summarize@1', '--adapter', 'remote']);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/usage: run-processor/);
});
