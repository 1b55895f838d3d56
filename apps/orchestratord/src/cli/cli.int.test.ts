import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  orchestratorClient,
  startProcessFleet,
  TEST_ADMIN_KEY,
  type TestOrchestrator,
} from '../test-orchestrator.js';
import {
  listEngines,
  type OrchClient,
  registerProduct,
  showEngine,
  tailAudit,
} from './commands.js';
import { runCli } from './main.js';

// The CLI's commands against a real orchestrator (process driver on PGlite, one engine).

let orch: TestOrchestrator;
let platformKey: string;
let platform: OrchClient;

function sink() {
  const chunks: string[] = [];
  return { text: () => chunks.join(''), write: (s: string) => void chunks.push(s) };
}

beforeAll(async () => {
  orch = await startProcessFleet({ ports: [21700, 21799] });
}, 120_000);

afterAll(async () => {
  await orch?.close();
});

describe('orchestratorctl', () => {
  it('register-product prints the product id and a pk- platform key', async () => {
    const out = sink();
    await registerProduct(
      orchestratorClient(orch.baseUrl, { 'x-admin-key': TEST_ADMIN_KEY }),
      { write: out.write, json: false },
      { slug: 'cli', name: 'CLI test', maxEngines: 2, rateLimitRpm: 1000 },
    );
    const key = /platform_key:\s+(pk-\S+)/.exec(out.text())?.[1];
    expect(out.text()).toMatch(/product_id:\s+[0-9a-f-]{36}/);
    expect(key).toBeDefined();
    platformKey = key as string;
    platform = orchestratorClient(orch.baseUrl, { 'x-platform-key': platformKey });
  });

  it('engines and engine list a provisioned engine without its sk- key', async () => {
    const provisioned = await platform.provisionEngine({ body: { user_id: 'cli-user' } });
    expect(provisioned.status).toBe(201);

    const table = sink();
    await listEngines(platform, { write: table.write, json: false }, { all: true });
    expect(table.text()).toMatch(/^USER_ID\s+STATUS\s+URL\s+ENGINE_ID\s+RESTARTS\s+LAST_HEALTH_AT/);
    expect(table.text()).toMatch(/cli-user\s+running\s+http:\/\//);
    expect(table.text()).not.toContain('sk-');

    const detail = sink();
    await showEngine(platform, { write: detail.write, json: true }, { userId: 'cli-user' });
    expect(JSON.parse(detail.text())).toMatchObject({ user_id: 'cli-user', status: 'running' });
    expect(detail.text()).not.toContain('sk-');

    const shown = sink();
    await showEngine(
      platform,
      { write: shown.write, json: false },
      {
        userId: 'cli-user',
        showKey: true,
      },
    );
    expect(shown.text()).toMatch(/engine_key:\s+sk-/);
  });

  it('audit shows the provision; --follow picks up a new entry until aborted', async () => {
    const out = sink();
    await tailAudit(platform, { write: out.write, json: false }, {});
    expect(out.text()).toMatch(/\bapi\s+provision\s+cli-user\s+\d+ms\s+\{/);
    const seen = out.text().trim().split('\n').length;

    const followed = sink();
    const abort = new AbortController();
    const following = tailAudit(
      platform,
      { write: followed.write, json: true },
      {
        follow: true,
        signal: abort.signal,
        pollMs: 100,
      },
    );
    const lines = () => followed.text().trim().split('\n').filter(Boolean).length;
    // Caught up first, so the next entry can only arrive by polling.
    await expect.poll(lines, { timeout: 10_000 }).toBe(seen);
    expect((await platform.sleepEngine({ params: { user_id: 'cli-user' } })).status).toBe(200);
    await expect.poll(lines, { timeout: 10_000 }).toBeGreaterThan(seen);
    abort.abort();
    await following;
    const actions = followed
      .text()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { action: string }).action);
    expect(actions).toContain('provision');
    expect(actions.at(-1)).toMatch(/sleep/);
  });

  it('exits 1 with the envelope code on a bad key, 2 on a usage error', async () => {
    const stdout = sink();
    const stderr = sink();
    const io = { stdout: stdout.write, stderr: stderr.write, env: {} };
    expect(await runCli(['engines', '--url', orch.baseUrl, '--platform-key', 'pk-wrong'], io)).toBe(
      1,
    );
    expect(stderr.text()).toContain('UNAUTHORIZED');
    expect(stderr.text()).not.toContain('pk-wrong');

    expect(await runCli(['engines', '--url', orch.baseUrl, '--bogus'], io)).toBe(2);
    expect(
      await runCli(['set-policy', '--url', orch.baseUrl, '--admin-key', 'x'.repeat(20)], io),
    ).toBe(2);
    expect(stderr.text()).toContain('--product-id is required');
    expect(stderr.text()).toContain('usage: orchestratorctl');
    expect(stdout.text()).toBe('');
  });

  it('the bin runs under node with --help', async () => {
    const bin = fileURLToPath(new URL('../../bin/orchestratorctl.mjs', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('usage: orchestratorctl');
  });
});
