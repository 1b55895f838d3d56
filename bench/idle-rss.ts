import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ephemeralPort } from '@agentplane/orchestratord/driver-test-support';
import { waitHealthy } from '@agentplane/testkit/wait-healthy';
import { startAgentManager } from './agent-manager/service.js';
import { bareNodeMemory, type Memory, median, memoryOf, round } from './harness.js';

// The zero-config path's idle memory (issue 14): orchestratord as `pnpm dev` runs it (tsx, the
// dev script's node flags, PGlite, the process driver) on its first start (initdb) and on the
// next one, and agent-manager's embedded path; each next to a bare node process of this run.

const repo = fileURLToPath(new URL('../', import.meta.url));
const SETTLE_MS = Number(process.env.BENCH_IDLE_RSS_SETTLE_MS ?? 8000);
const SAMPLES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The node flags of an app's `dev` script (`tsx watch --clear-screen=false --flag … src/main.ts`). */
function devFlags(app: string): string[] {
  const pkg = JSON.parse(readFileSync(join(repo, 'apps', app, 'package.json'), 'utf8')) as {
    scripts: { dev: string };
  };
  // --clear-screen is tsx's own; the rest go to node.
  return pkg.scripts.dev
    .split(/\s+/)
    .filter((arg) => arg.startsWith('--') && !arg.startsWith('--clear-screen'));
}

/** Median of a few VmRSS samples after `SETTLE_MS` of idling (a GC can land in any one). */
async function idleMemory(pid: number): Promise<Memory> {
  await sleep(SETTLE_MS);
  const samples: Memory[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(memoryOf(pid));
    await sleep(500);
  }
  const rss = median(samples.map((s) => s.rss_mb));
  return samples.find((s) => s.rss_mb === rss) ?? (samples[0] as Memory);
}

async function startDevOrchestratord(
  dataDir: string,
): Promise<{ child: ChildProcess; ms: number }> {
  const port = await ephemeralPort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...devFlags('orchestratord'), '--import', 'tsx', 'src/main.ts'],
    {
      cwd: join(repo, 'apps', 'orchestratord'),
      // Nothing configured: PGlite under ORCH_DATA_DIR, the process driver, in-process limits.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        ORCH_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitHealthy(`http://127.0.0.1:${port}`, { timeoutMs: 120_000 });
  return { child, ms: Math.round(performance.now() - started) };
}

async function orchestratordDev() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-idle-rss-orch-'));
  const runs: Partial<Record<'first_start' | 'restart', Memory & { healthy_after_ms: number }>> =
    {};
  try {
    for (const run of ['first_start', 'restart'] as const) {
      const { child, ms } = await startDevOrchestratord(dataDir);
      try {
        runs[run] = { healthy_after_ms: ms, ...(await idleMemory(child.pid as number)) };
      } finally {
        child.kill('SIGINT');
        await once(child, 'exit');
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { node_flags: devFlags('orchestratord'), ...runs };
}

/** The API process (it holds PGlite, on a thread) and its pooled workers, idle. */
async function agentManagerEmbedded() {
  const am = await startAgentManager('embedded');
  try {
    const api = await idleMemory(am.pid);
    const workers = (await am.runningWorkers()).map((pid) => memoryOf(pid).rss_mb);
    return {
      runner: 'bundle (start script flags)',
      api,
      workers_rss_mb: workers,
      total_rss_mb: round(api.rss_mb + workers.reduce((a, b) => a + b, 0), 1),
    };
  } finally {
    await am.stop();
  }
}

export async function benchIdleRss() {
  const bare = await bareNodeMemory();
  const orchestratord = await orchestratordDev();
  const agentManager = await agentManagerEmbedded();
  const ratio = (mb: number) => round(mb / bare.rss_mb);
  const restart = orchestratord.restart?.rss_mb ?? 0;
  return {
    name: 'idle-rss',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'MB',
    method: `VmRSS from /proc, median of ${SAMPLES} samples after ${SETTLE_MS} ms idle; orchestratord as pnpm dev runs it (tsx, dev flags, no DATABASE_URL/DOCKER_HOST), first start (initdb) then restart on the same data dir; agent-manager embedded (bundle, PGlite thread, its worker pool)`,
    target: 'zero-config orchestratord idle RSS <= 200 MB',
    bare_node_memory: bare,
    orchestratord,
    orchestratord_restart_vs_bare: ratio(restart),
    agent_manager: agentManager,
    agent_manager_api_vs_bare: ratio(agentManager.api.rss_mb),
  };
}
