import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package directory: the child runs with its vitest.config.ts, switched to the policy tests.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

interface Run {
  code: number | null;
  output: string;
}

/** Runs a policy test file in a child vitest with exactly the service variables given. */
function runFixtures(file: string, vars: Record<string, string>): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'CI',
    'DATABASE_URL',
    'REDIS_URL',
    'DOCKER_HOST',
    'VITEST',
    'VITEST_WORKER_ID',
    'VITEST_POOL_ID',
  ]) {
    delete env[name];
  }
  Object.assign(env, vars, { NO_COLOR: '1', TESTKIT_POLICY_RUN: '1' });
  const args = [vitestBin, 'run', '--reporter=verbose', `src/testing/policy/${file}`];
  const child = spawn(process.execPath, args, {
    cwd: packageDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('service policy, end to end in a child vitest', () => {
  it('skips with a printed reason when a variable is missing outside CI', async () => {
    const run = await runFixtures('services.policy.test.ts', {});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(
      'skipped: REDIS_URL not set — set REDIS_URL=redis://127.0.0.1:6379 to run',
    );
    expect(run.output).toContain(
      'skipped: DOCKER_HOST not set — set DOCKER_HOST=unix:///run/podman/podman.sock to run',
    );
    expect(run.output).toMatch(/2 skipped/);
    expect(run.output).toMatch(/1 passed/);
  });

  it('skips with the connection error when a service is unreachable outside CI', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const run = await runFixtures('services.policy.test.ts', {
      REDIS_URL: 'redis://127.0.0.1:1',
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('skipped: REDIS_URL unreachable (redis://127.0.0.1:1)');
    expect(run.output).toContain(
      'skipped: DOCKER_HOST unreachable (unix:///nonexistent/docker.sock)',
    );
  });

  it('fails instead of skipping under CI=true', async () => {
    const run = await runFixtures('services.policy.test.ts', { CI: 'true' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('REDIS_URL (redis) is required under CI=true: REDIS_URL not set');
    expect(run.output).toContain(
      'DOCKER_HOST (docker) is required under CI=true: DOCKER_HOST not set',
    );
    expect(run.output).toMatch(/2 failed/);
    expect(run.output).not.toMatch(/\d+ skipped|skipped: /);
  });

  it('fails pg under CI=true without DATABASE_URL rather than falling back to PGlite', async () => {
    const run = await runFixtures('postgres.policy.test.ts', { CI: 'true' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      'DATABASE_URL (postgres) is required under CI=true: DATABASE_URL not set',
    );
  });
});
