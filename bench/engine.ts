import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppBundle } from '@agentplane/testkit/workspace-builds';
import {
  bareNodeMemory,
  type Memory,
  median,
  memoryOf,
  percentile,
  round,
  startFlags,
} from './harness.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const KEY = 'sk-bench';
const BOOT_RUNS = Number(process.env.BENCH_BOOT_RUNS ?? 10);

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  return port;
}

async function getStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

interface Proc {
  port: number;
  bootMs: number;
  pid: number;
  stop(): Promise<void>;
}

/** Spawns `args` with node and polls /health every 2 ms until 200 (limits.md §4's method). */
async function bootProcess(args: string[], env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  while ((await getStatus(port)) !== 200) {
    if (child.exitCode !== null) {
      throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const bootMs = performance.now() - started;
  return {
    port,
    bootMs,
    pid: child.pid as number,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    },
  };
}

let bundled: Promise<string> | undefined;

/** Builds the engine's bundle (what the image runs) once per bench run; returns its path. */
const engineBundle = (): Promise<string> => {
  bundled ??= buildAppBundle('engine');
  return bundled;
};

const BARE = `require('node:http').createServer((q,s)=>s.end('{"status":"ok"}')).listen(process.env.PORT,'127.0.0.1')`;

function engineEnv(dir: string, n: number): Record<string, string> {
  return {
    SQLITE_DB_PATH: join(dir, `brain-${n}.sqlite`),
    CATALOG_DIR: join(repo, 'catalog'),
    GATEWAY_CONFIG_PATH: join(dir, 'none.yaml'),
    ENGINE_KEY_HASH: createHash('sha256').update(KEY).digest('hex'),
    NODE_ENV: 'production',
  };
}

/** Boot to /health ok as a process (the bundle an image runs) vs a bare node:http server. */
export async function benchEngineBoot() {
  const main = await engineBundle();
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  try {
    const engine: number[] = [];
    const bare: number[] = [];
    let idle: Memory | undefined;
    for (let i = 0; i < BOOT_RUNS; i++) {
      const b = await bootProcess(['-e', BARE], {});
      bare.push(b.bootMs);
      await b.stop();
      const e = await bootProcess([...startFlags('engine'), main], engineEnv(dir, i));
      engine.push(e.bootMs);
      if (i === 0) {
        await new Promise((r) => setTimeout(r, 2000));
        idle = memoryOf(e.pid);
      }
      await e.stop();
    }
    const bareMem = await bareNodeMemory();
    const idleRss = idle?.rss_mb ?? Number.NaN;
    // Runs alternate with the bare server's, so both see the same machine load (issue 14).
    const ratio = median(engine) / median(bare);
    return {
      name: 'engine.boot',
      unit: 'ms',
      runs: BOOT_RUNS,
      boot_to_healthy_p50: round(median(engine), 1),
      boot_to_healthy_p95: round(percentile(engine, 95), 1),
      bare_node_http_p50: round(median(bare), 1),
      boot_ratio_to_bare_p50: round(ratio, 2),
      target_boot: '<= 300 ms p50',
      target_boot_ratio: '<= 2x a bare node:http server',
      // 2 s after /health ok; `bare_node` is a bare node:http server of the same binary.
      idle_memory: idle,
      idle_rss_mb: idleRss,
      bare_node_memory: bareMem,
      rss_over_bare_node_mb: round(idleRss - bareMem.rss_mb, 1),
      target_idle_rss: '<= 80 MB',
      meets_target_boot: median(engine) <= 300,
      meets_target_boot_ratio: ratio <= 2,
      meets_target_rss: idleRss <= 80,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface StreamTiming {
  firstEventMs: number;
  events: number;
  totalMs: number;
}

function executeOnce(port: number, agent: Agent, taskId: string): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      task_id: taskId,
      message: 'Summarise the bench run in a few words please',
    });
    const started = performance.now();
    let firstEventMs = -1;
    let events = 0;
    let tail = '';
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/execute',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'x-engine-key': KEY,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`/execute answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const text = tail + chunk;
          let from = 0;
          for (let at = text.indexOf('\n\n'); at !== -1; at = text.indexOf('\n\n', from)) {
            if (text.charCodeAt(from) !== 58) {
              events++;
              if (firstEventMs < 0) {
                firstEventMs = performance.now() - started;
              }
            }
            from = at + 2;
          }
          tail = text.slice(from);
        });
        res.on('end', () =>
          resolve({ firstEventMs, events, totalMs: performance.now() - started }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** /execute with the mock model: time to first event and events/s at 1, 10 and 100 streams. */
export async function benchEngineExecute() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const engine = await bootProcess(
    [...startFlags('engine'), await engineBundle()],
    engineEnv(dir, 0),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  const levels: Array<{
    concurrency: number;
    streams: number;
    first_event_ms_p50: number;
    first_event_ms_p99: number;
    events_per_s: number;
  }> = [];
  try {
    let task = 0;
    for (const concurrency of [1, 10, 100]) {
      const rounds = concurrency === 1 ? 50 : concurrency === 10 ? 10 : 3;
      await Promise.all(
        Array.from({ length: concurrency }, () =>
          executeOnce(engine.port, agent, `warm-${task++}`),
        ),
      );
      const firsts: number[] = [];
      let events = 0;
      let busyMs = 0;
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        const timings = await Promise.all(
          Array.from({ length: concurrency }, () =>
            executeOnce(engine.port, agent, `bench-${task++}`),
          ),
        );
        busyMs += performance.now() - t0;
        for (const t of timings) {
          firsts.push(t.firstEventMs);
          events += t.events;
        }
      }
      levels.push({
        concurrency,
        streams: firsts.length,
        first_event_ms_p50: round(median(firsts), 2),
        first_event_ms_p99: round(percentile(firsts, 99), 2),
        events_per_s: round(events / (busyMs / 1000), 0),
      });
    }
  } finally {
    agent.destroy();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const at = (c: number) =>
    levels.find((l) => l.concurrency === c)?.first_event_ms_p50 ?? Number.NaN;
  return {
    name: 'engine.execute',
    model: 'mock',
    levels,
    target: 'first event p50 <= 5 ms at 1 stream, <= 20 ms at 100',
    meets_target: at(1) <= 5 && at(100) <= 20,
  };
}
