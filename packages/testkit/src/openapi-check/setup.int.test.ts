import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTmpDir } from '../tmp.js';

// The setup file as an app uses it: a child vitest runs testing/policy/openapi-drift.policy.test.ts
// (which loads it), and its JSON report says which tests failed and why.

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vitestBin = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

interface Report {
  testResults: Array<{
    assertionResults: Array<{ title: string; status: string; failureMessages: string[] }>;
  }>;
}

async function runFixture(): Promise<Report> {
  const tmp = await createTmpDir('openapi-check-');
  try {
    const out = join(tmp.path, 'report.json');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TESTKIT_POLICY_RUN: '1' };
    for (const name of ['VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID']) {
      delete env[name];
    }
    const file = 'src/testing/policy/openapi-drift.policy.test.ts';
    const args = [vitestBin, 'run', file, '--reporter=json', '--outputFile', out];
    const child = spawn(process.execPath, args, { cwd: packageDir, env, stdio: 'ignore' });
    await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    return JSON.parse(await readFile(out, 'utf8')) as Report;
  } finally {
    await tmp.remove();
  }
}

describe('the setup file', () => {
  it('fails exactly the tests that received drifting answers, saying what drifted', async () => {
    const report = await runFixture();
    const results = report.testResults.flatMap((f) => f.assertionResults);
    const status = Object.fromEntries(results.map((r) => [r.title, r.status]));
    expect(status).toEqual({
      'documented answers pass': 'passed',
      'a drifting body fails the test that received it': 'failed',
      'a drifting stream event fails it': 'failed',
      'a drifting node:http answer fails it': 'failed',
      'allowUndocumented lets an undocumented answer through': 'passed',
      'a later test is not blamed': 'passed',
    });
    const message = (title: string) =>
      results.find((r) => r.title === title)?.failureMessages.join('\n') ?? '';
    expect(message('a drifting body fails the test that received it')).toMatch(
      /GET \/items\/\{id\} → 200: the body does not match the schema\n {3}request: GET http:\/\/127\.0\.0\.1:\d+\/items\/bad\n {3}\(root\): must have required property 'name'/,
    );
    expect(message('a drifting stream event fails it')).toContain(
      'GET /stream → 200: event data does not match the stream schema',
    );
    expect(message('a drifting node:http answer fails it')).toContain(
      'GET /items/{id} → 418: status 418 is not documented (documented: 200, 404)',
    );
  });
});
