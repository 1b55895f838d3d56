import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentManagerRoutes, createClient } from '@agentplane/contracts';
import { ephemeralPort } from '@agentplane/orchestratord/driver-test-support';
import { buildAppBundle } from '@agentplane/testkit/workspace-builds';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startFlags } from '../harness.js';

// agent-manager's real main, bundled as production runs it, in its own process with its worker
// pool. `@agentplane/agent-manager/live-agent-manager` would do this, but it imports testkit's
// index, whose fixtures call vitest's test.extend at load: it cannot run outside vitest.

export type Variant = 'embedded' | 'real';
export type AmClient = ReturnType<typeof amClient>;

export const amClient = (baseUrl: string, headers: Record<string, string>) =>
  createClient(agentManagerRoutes, { baseUrl, headers: () => headers });

export interface AmService {
  variant: Variant;
  url: string;
  /** Headers of the API key (raw fetches). */
  headers: Record<string, string>;
  client: AmClient;
  admin: AmClient;
  /** The API process (RSS). */
  pid: number;
  /** AM_DATA_DIR: the RAG store's SQLite file is here. */
  dataDir: string;
  /** Pids of the pooled workers (listWorkers), `status: running`. */
  runningWorkers(): Promise<number[]>;
  stop(): Promise<void>;
}

let bundle: Promise<string> | undefined;
const mainJs = () => {
  bundle ??= buildAppBundle('agent-manager');
  return bundle;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function deleteKeys(url: string, match: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) {
        await redis.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The `real` variant's backends: a fresh database on DATABASE_URL's server (the service migrates
 * it) and key prefixes of its own for the queue, run logs and bus (dropped on close).
 */
async function realBackends(): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  if (!base || !redis) {
    throw new Error('the real variant needs DATABASE_URL and REDIS_URL');
  }
  const id = randomBytes(4).toString('hex');
  const name = `bench_am_${id}`;
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const prefix = `bench-am-${id}`;
  return {
    env: {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis,
      AM_REDIS_PREFIX: prefix,
      AM_BUS_PREFIX: `${prefix}-bus`,
    },
    async close() {
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await deleteKeys(redis, `${prefix}*`);
    },
  };
}

/** Starts the service (keys set, mock model, LOG_LEVEL=warn) and waits for its pooled workers. */
export async function startAgentManager(
  variant: Variant,
  env: Record<string, string> = {},
): Promise<AmService> {
  const entry = await mainJs();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-am-'));
  const backends = variant === 'real' ? await realBackends() : undefined;
  const apiKey = `bench-key-${randomBytes(8).toString('hex')}`;
  const adminKey = `bench-admin-${randomBytes(8).toString('hex')}`;
  const port = await ephemeralPort();
  const child: ChildProcess = spawn(process.execPath, [...startFlags('agent-manager'), entry], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      AM_DATA_DIR: dataDir,
      AM_API_KEYS: `bench:${apiKey}`,
      AM_ADMIN_KEY: adminKey,
      ...backends?.env,
      ...env,
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: profiles the service and its workers.
      ...(process.env.BENCH_AM_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_AM_NODE_OPTIONS }
        : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${apiKey}` };
  const admin = amClient(url, { 'x-admin-key': adminKey });
  const runningWorkers = async () => {
    const res = await admin.listWorkers({});
    return res.status === 200
      ? res.body.workers.filter((w) => w.status === 'running').map((w) => w.pid)
      : [];
  };
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await backends?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const workers = Number(env.AM_WORKERS ?? 2);
    const deadline = Date.now() + 60_000;
    while ((await runningWorkers().catch(() => [])).length < workers) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`agent-manager (${variant}) did not start (exit ${child.exitCode})`);
      }
      await sleep(50);
    }
  } catch (error) {
    child.kill('SIGKILL');
    await stop();
    throw error;
  }
  return {
    variant,
    pid: child.pid as number,
    dataDir,
    url,
    headers,
    client: amClient(url, headers),
    admin,
    runningWorkers,
    stop,
  };
}

/** Runs `fn` on a fresh service of `variant`, stopped afterwards (also on failure). */
export async function withAgentManager<T>(
  variant: Variant,
  env: Record<string, string>,
  fn: (am: AmService) => Promise<T>,
): Promise<T | { skipped: string }> {
  if (variant === 'real' && (!process.env.DATABASE_URL || !process.env.REDIS_URL)) {
    return { skipped: 'DATABASE_URL or REDIS_URL unset' };
  }
  const am = await startAgentManager(variant, env);
  try {
    return await fn(am);
  } finally {
    await am.stop();
  }
}
