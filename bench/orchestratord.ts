import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerOptionsFromHost } from '@agentplane/backends/docker-host';
import { createClient, orchestratordRoutes } from '@agentplane/contracts';
import {
  buildEngineBundle,
  buildEngineImage,
  catalogDir,
  ephemeralPort,
} from '@agentplane/orchestratord/driver-test-support';
import autocannon from 'autocannon';
import Docker from 'dockerode';
import pg from 'pg';
import { bareNodeMemory, median, memoryOf, round, startFlags } from './harness.js';

// The fleet control plane: provision, wake, admit, crash recovery and the orchestrator's memory,
// each next to a floor measured in the same run (a bare spawn, a bare container, GET /health).

const repo = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_ORCH_RUNS ?? 10);
const CRASH_RUNS = Number(process.env.BENCH_ORCH_CRASH_RUNS ?? 5);
const ADMIT_DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
const RSS_ENGINES = Number(process.env.BENCH_ORCH_RSS_ENGINES ?? 100);
// The orchestrator's own probe starts at 5 ms; a 2 ms poll steals CPU from a booting engine on 2 cores.
const FLOOR_POLL_MS = 5;
const BENCH_LABEL = 'agentplane.bench';
const ADMIN_KEY = 'admin-key-for-bench-0123456789';

const platformClient = (baseUrl: string, key: string) =>
  createClient(orchestratordRoutes, { baseUrl, headers: () => ({ 'x-platform-key': key }) });
type PlatformClient = ReturnType<typeof platformClient>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

/** p50/p95 (or p99) in ms, rounded, with the count: how every latency figure here is shown. */
function summary(xs: number[], high = 95) {
  return {
    n: xs.length,
    p50: round(median(xs), 1),
    [`p${high}`]: round(percentile(xs, high), 1),
    min: round(Math.min(...xs), 1),
    max: round(Math.max(...xs), 1),
  };
}

/**
 * GET /health on a fresh connection, given up after 100 ms: a SYN sent to a container that is
 * being restarted can be dropped, and the kernel resends it only after 1 s (which would be
 * measured as recovery time).
 */
function healthStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { agent: false, timeout: 100 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function pollHealthy(url: string, everyMs: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await healthStatus(url)) !== 200) {
    if (Date.now() > deadline) {
      throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    }
    await sleep(everyMs);
  }
}

interface OrchEntry {
  args: string[];
  runner: string;
}
let orchEntry: Promise<OrchEntry> | undefined;

/** orchestratord's real main as production runs it: its bundle (`pnpm build`), built once. */
function orchestratordEntry(): Promise<OrchEntry> {
  orchEntry ??= Promise.resolve().then(() => {
    execFileSync(process.execPath, ['../../scripts/build-app.mjs'], {
      cwd: join(repo, 'apps/orchestratord'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return {
      args: [...startFlags('orchestratord'), join(repo, 'apps/orchestratord/dist/main.js')],
      runner: 'bundle (pnpm build)',
    };
  });
  return orchEntry;
}

let engineImage: Promise<string> | undefined;
const image = () => {
  engineImage ??= buildEngineImage();
  return engineImage;
};
let engineBundle: Promise<string> | undefined;
const bundle = () => {
  engineBundle ??= buildEngineBundle();
  return engineBundle;
};

/**
 * A fresh database on DATABASE_URL's server (dropped on close) for one orchestratord, which
 * migrates it itself. testkit's postgresVariant does this for tests, but testkit's index module
 * needs a running vitest.
 */
async function openPgDatabase(): Promise<{ url: string; close(): Promise<void> } | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    return undefined;
  }
  const name = `bench_orch_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** One orchestratord (real main, own process) with a product registered, and its engines. */
interface Fleet {
  url: string;
  api: PlatformClient;
  db: 'postgres' | 'pglite';
  runner: string;
  dataDir: string;
  users: Set<string>;
  close(): Promise<void>;
}

async function startFleet(
  driver: 'process' | 'docker',
  ports: [number, number],
  docker?: Docker,
  env: Record<string, string> = {},
): Promise<Fleet> {
  const database = await openPgDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-orch-'));
  const fleetId = `bench-${randomBytes(4).toString('hex')}`;
  const users = new Set<string>();
  let server: ChildServer | undefined;
  const sweep = async () => {
    await server?.stop();
    // What the API did not remove (a failed run): engine processes, containers, volumes.
    killLeftovers(dataDir);
    if (docker !== undefined) {
      const filters = { label: [`agentplane.fleet=${fleetId}`] };
      for (const c of await docker.listContainers({ all: true, filters })) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => {});
      }
      for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
        await docker
          .getVolume(v.Name)
          .remove()
          .catch(() => {});
      }
    }
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const driverEnv: Record<string, string> =
      driver === 'process'
        ? {
            ORCH_DRIVER: 'process',
            ORCH_ENGINE_COMMAND: JSON.stringify([
              process.execPath,
              ...startFlags('engine'),
              await bundle(),
            ]),
          }
        : {
            ORCH_DRIVER: 'docker',
            DOCKER_HOST: process.env.DOCKER_HOST ?? '',
            ORCH_ENGINE_IMAGE: await image(),
          };
    server = await startOrchestratord({
      ...driverEnv,
      ORCH_FLEET_ID: fleetId,
      ORCH_DATA_DIR: dataDir,
      ORCH_PORT_MIN: String(ports[0]),
      ORCH_PORT_MAX: String(ports[1]),
      ORCH_STOP_GRACE_S: '5',
      ...(database === undefined ? {} : { DATABASE_URL: database.url }),
      ...env,
    });
    const api = platformClient(server.url, await registerVia(server.url));
    return {
      url: server.url,
      api,
      db: database === undefined ? 'pglite' : 'postgres',
      runner: server.runner,
      dataDir,
      users,
      async close() {
        for (const user of users) {
          await api.destroyEngine({ params: { user_id: user } }).catch(() => {});
        }
        await sweep();
      },
    };
  } catch (error) {
    await sweep();
    throw error;
  }
}

async function provisionOne(fleet: Fleet, userId: string) {
  fleet.users.add(userId);
  const res = await fleet.api.provisionEngine({ body: { user_id: userId } });
  if (res.status !== 201) {
    throw new Error(`provision ${userId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** The process driver's spawn with its environment, without the orchestrator: spawn → first 200. */
async function rawSpawnFloor(runs: number): Promise<number[]> {
  const main = await bundle();
  const dir = mkdtempSync(join(tmpdir(), 'bench-orch-raw-'));
  const times: number[] = [];
  try {
    for (let i = -1; i < runs; i++) {
      const port = await ephemeralPort();
      const started = performance.now();
      const child = spawn(process.execPath, [...startFlags('engine'), main], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          ENGINE_KEY_HASH: createHash('sha256').update(`k${i}`).digest('hex'),
          SQLITE_DB_PATH: join(dir, `brain-${i}.sqlite`),
          CATALOG_DIR: catalogDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          GATEWAY_CONFIG_PATH: join(dir, 'gateway.yaml'),
        },
        stdio: 'ignore',
      });
      await pollHealthy(`http://127.0.0.1:${port}`, FLOOR_POLL_MS);
      if (i >= 0) {
        times.push(performance.now() - started);
      }
      child.kill('SIGTERM');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

/** The docker driver's container body through dockerode, without the orchestrator. */
async function rawContainerFloor(docker: Docker, ref: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  const network = 'engine_net';
  if (!(await docker.listNetworks()).some((n) => n.Name === network)) {
    await docker.createNetwork({ Name: network }).catch(() => {});
  }
  for (let i = -1; i < runs; i++) {
    const name = `bench-raw-${randomBytes(4).toString('hex')}`;
    const port = await ephemeralPort();
    const labels = { [BENCH_LABEL]: 'true' };
    await docker.createVolume({ Name: name, Labels: labels });
    const started = performance.now();
    const container = await docker.createContainer({
      name,
      Image: ref,
      Labels: labels,
      Env: [
        `ENGINE_KEY_HASH=${createHash('sha256').update(name).digest('hex')}`,
        'SQLITE_DB_PATH=/data/brain.sqlite',
        'CATALOG_DIR=/catalog',
        'PORT=8000',
        'HOST=0.0.0.0',
        'NODE_ENV=production',
      ],
      ExposedPorts: { '8000/tcp': {} },
      StopTimeout: 5,
      HostConfig: {
        PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
        Mounts: [
          { Type: 'volume', Source: name, Target: '/data' },
          { Type: 'bind', Source: catalogDir, Target: '/catalog', ReadOnly: true },
        ],
        NetworkMode: network,
        NanoCpus: 1e9,
        Memory: 512 * 1024 * 1024,
      },
    });
    try {
      await container.start();
      await pollHealthy(`http://127.0.0.1:${port}`, FLOOR_POLL_MS);
      if (i >= 0) {
        times.push(performance.now() - started);
      }
    } finally {
      await container.remove({ force: true }).catch(() => {});
      await docker
        .getVolume(name)
        .remove()
        .catch(() => {});
    }
  }
  return times;
}

async function dockerOrSkip(): Promise<Docker | string> {
  const host = process.env.DOCKER_HOST;
  if (!host) {
    return 'DOCKER_HOST is not set';
  }
  try {
    const docker = new Docker(dockerOptionsFromHost(host));
    await docker.ping();
    return docker;
  } catch (error) {
    return `DOCKER_HOST unreachable: ${(error as Error).message}`;
  }
}

/** Warm-pool engines ready to be claimed, from the fleet's /metrics. */
async function warmReady(fleet: Fleet): Promise<number> {
  const text = await (await fetch(`${fleet.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('orchestratord_engines{') && /status="running".*warm="true"/.test(l));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function provisionRun(
  driver: 'process' | 'docker',
  ports: [number, number],
  docker?: Docker,
  warmPool = 0,
) {
  const fleet = await startFleet(driver, ports, docker, {
    ORCH_WARM_POOL_SIZE: String(warmPool),
  });
  try {
    // With a warm pool: every provision (the warm-up too) claims an engine booted beforehand,
    // while the pool refills in the background (one boot at a time, as in production).
    const deadline = Date.now() + 120_000;
    while ((await warmReady(fleet)) < warmPool) {
      if (Date.now() > deadline) {
        throw new Error(`warm pool of ${warmPool} not ready within 120 s`);
      }
      await sleep(100);
    }
    await provisionOne(fleet, 'warm-up');
    const api: number[] = [];
    const boot: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const engine = await provisionOne(fleet, `user-${i}`);
      api.push(performance.now() - started);
      boot.push(engine.boot_ms ?? Number.NaN);
    }
    const destroy: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await fleet.api.destroyEngine({ params: { user_id: `user-${i}` } });
      destroy.push(performance.now() - started);
    }
    return { db: fleet.db, runner: fleet.runner, api, boot, destroy };
  } finally {
    await fleet.close();
  }
}

/** Cold provisions (each boots an engine) next to the floor measured without the orchestrator. */
function coldSummary(
  run: { api: number[]; boot: number[]; destroy: number[] },
  floorName: string,
  floor: number[],
) {
  return {
    provision_ms: summary(run.api),
    orchestrator_boot_ms: summary(run.boot),
    [floorName]: summary(floor),
    overhead_p50_ms: round(median(run.api) - median(floor), 1),
    ratio_p50: round(median(run.api) / median(floor)),
    destroy_ms: summary(run.destroy),
  };
}

/**
 * Provision → healthy through the HTTP API, 10 sequential engines per driver: cold (each boots
 * an engine; vs the raw floor) and from a warm pool of RUNS + 1 (ORCH_WARM_POOL_SIZE).
 */
export async function benchOrchProvision() {
  const proc = await provisionRun('process', [22000, 22099]);
  const procFloor = await rawSpawnFloor(RUNS);
  const procWarm = await provisionRun('process', [22000, 22099], undefined, RUNS + 1);
  const processResult = {
    db: proc.db,
    runner: proc.runner,
    cold: coldSummary(proc, 'floor_raw_spawn_to_200_ms', procFloor),
    warm_pool: { size: RUNS + 1, provision_ms: summary(procWarm.api) },
    target: 'p50 <= 150 ms',
    meets_target_cold: median(proc.api) <= 150,
    meets_target_warm_pool: median(procWarm.api) <= 150,
  };
  const docker = await dockerOrSkip();
  let dockerResult: Record<string, unknown>;
  if (typeof docker === 'string') {
    dockerResult = { skipped: docker };
  } else {
    const run = await provisionRun('docker', [22100, 22199], docker);
    const floor = await rawContainerFloor(docker, await image(), RUNS);
    const warm = await provisionRun('docker', [22100, 22199], docker, RUNS + 1);
    const meets = (xs: number[]) => median(xs) <= 400 && percentile(xs, 95) <= 700;
    dockerResult = {
      db: run.db,
      runner: run.runner,
      image: await image(),
      cold: coldSummary(run, 'floor_raw_create_start_to_200_ms', floor),
      warm_pool: { size: RUNS + 1, provision_ms: summary(warm.api) },
      target: 'p50 <= 400 ms, p95 <= 700 ms',
      meets_target_cold: meets(run.api),
      meets_target_warm_pool: meets(warm.api),
    };
  }
  return {
    name: 'orchestratord.provision',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    runs: RUNS,
    method:
      "sequential POST /engines/provision via the generated client against orchestratord's bundle in its own process; 1 unrecorded warm-up; floors poll /health every 5 ms",
    process: processResult,
    docker: dockerResult,
  };
}

async function wakeRun(
  driver: 'process' | 'docker',
  ports: [number, number],
  runs: number,
  docker?: Docker,
) {
  const fleet = await startFleet(driver, ports, docker);
  try {
    const engine = await provisionOne(fleet, 'sleeper');
    const wake: number[] = [];
    const sleepMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s0 = performance.now();
      const slept = await fleet.api.sleepEngine({ params: { user_id: 'sleeper' } });
      sleepMs.push(performance.now() - s0);
      if (slept.status !== 200) {
        throw new Error(`sleep: ${slept.status}`);
      }
      const started = performance.now();
      const admitted = await fleet.api.admitEngine({ params: { user_id: 'sleeper' }, body: {} });
      wake.push(performance.now() - started);
      if (admitted.status !== 200 || !admitted.body.admitted || !admitted.body.woke) {
        throw new Error(`admit did not wake: ${JSON.stringify(admitted.body)}`);
      }
    }
    // The floor: the same stopped container started through the Docker API and polled to its
    // first 200, without the orchestrator.
    const floor: number[] = [];
    if (docker !== undefined) {
      const container = docker.getContainer(`engine-${engine.engine_id}`);
      for (let i = 0; i < runs; i++) {
        await fleet.api.sleepEngine({ params: { user_id: 'sleeper' } });
        const started = performance.now();
        await container.start();
        await pollHealthy(engine.url, FLOOR_POLL_MS);
        floor.push(performance.now() - started);
        await container.stop({ t: 5 });
        await fleet.api.startEngine({ params: { user_id: 'sleeper' } });
      }
    }
    return {
      db: fleet.db,
      runner: fleet.runner,
      runs,
      wake_admit_ms: summary(wake),
      ...(floor.length > 0
        ? {
            floor_raw_start_to_200_ms: summary(floor),
            overhead_p50_ms: round(median(wake) - median(floor), 1),
          }
        : {}),
      sleep_ms: summary(sleepMs),
      target: 'p50 <= 300 ms',
      meets_target: median(wake) <= 300,
    };
  } finally {
    await fleet.close();
  }
}

/** sleeping → admitted: POST sleep, then a timed admit (auto_wake), repeated. */
export async function benchOrchWake() {
  const processResult = await wakeRun('process', [22200, 22299], RUNS);
  const docker = await dockerOrSkip();
  const dockerResult =
    typeof docker === 'string'
      ? { skipped: docker }
      : await wakeRun('docker', [22300, 22399], RUNS, docker);
  return {
    name: 'orchestratord.wake',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method: 'POST /engines/{u}/sleep, then POST /engines/{u}/admit {} timed (woke=true checked)',
    process: processResult,
    docker: dockerResult,
  };
}

interface ChildServer {
  pid: number;
  url: string;
  runner: string;
  stop(): Promise<void>;
}

/** orchestratord's real main as its own process (its own event loop), on `env` plus the basics. */
async function startOrchestratord(env: Record<string, string>): Promise<ChildServer> {
  const entry = await orchestratordEntry();
  const port = await ephemeralPort();
  const child: ChildProcess = spawn(process.execPath, entry.args, {
    cwd: repo,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      ORCH_ADMIN_KEY: ADMIN_KEY,
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_FLEET_ID: `bench-${randomBytes(4).toString('hex')}`,
      ORCH_DRIVER: 'process',
      ORCH_IDLE_S: '0',
      // The default is found relative to main.js, which a bench-built bundle moves to tmp.
      ORCH_CATALOG_DIR: catalogDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Held until it is up (a failed start is reported by its error line, not a minified dump).
  let startup = '';
  const hold = (chunk: Buffer) => {
    startup = (startup + chunk.toString('utf8')).slice(-20_000);
  };
  child.stderr?.on('data', hold);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await healthStatus(url)) !== 200) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const why = startup.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? 'no error line';
      throw new Error(`orchestratord did not start (exit ${child.exitCode}): ${why}`);
    }
    await sleep(20);
  }
  child.stderr?.off('data', hold);
  child.stderr?.pipe(process.stderr);
  return {
    pid: child.pid as number,
    url,
    runner: entry.runner,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    },
  };
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json()) as T;
  if (!res.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  }
  return body;
}

async function registerVia(url: string): Promise<string> {
  const body = await json<{ platform_key: string }>(`${url}/products/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY },
    body: JSON.stringify({
      slug: 'bench',
      display_name: 'Bench',
      policy: { max_engines: 1000 },
    }),
  });
  return body.platform_key;
}

const platformHeaders = (key: string) => ({
  'content-type': 'application/json',
  'x-platform-key': key,
});

/** Kills whatever engine processes a stopped orchestrator left under its data dir. */
function killLeftovers(dataDir: string): number {
  let killed = 0;
  const engines = join(dataDir, 'engines');
  let ids: string[] = [];
  try {
    ids = readdirSync(engines);
  } catch {
    return 0;
  }
  for (const id of ids) {
    try {
      const { pid } = JSON.parse(readFileSync(join(engines, id, 'process.json'), 'utf8')) as {
        pid: number;
      };
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // No record or no process: nothing to do.
    }
  }
  return killed;
}

/** Sequential requests with hrtime: the per-request cost without queueing. */
async function sequential(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  count: number,
): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = request(url, { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`${url}: ${res.statusCode}`));
          } else {
            resolve(performance.now() - started);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    for (let i = 0; i < 200; i++) {
      await one();
    }
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      times.push(await one());
    }
    return times;
  } finally {
    agent.destroy();
  }
}

async function cannon(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | undefined,
  duration: number,
) {
  const result = await autocannon({
    url,
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    connections: 200,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: non2xx=${result.non2xx} errors=${result.errors}`);
  }
  return {
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    req_per_s: round(result.requests.average, 0),
  };
}

async function admitOn(kind: 'postgres' | 'pglite') {
  const db = kind === 'postgres' ? await openPgDatabase() : undefined;
  if (kind === 'postgres' && db === undefined) {
    return { skipped: 'DATABASE_URL unset or unreachable' };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-orch-admit-'));
  let server: ChildServer | undefined;
  try {
    server = await startOrchestratord({
      ORCH_DATA_DIR: dataDir,
      ORCH_ENGINE_COMMAND: JSON.stringify([
        process.execPath,
        ...startFlags('engine'),
        await bundle(),
      ]),
      ORCH_PORT_MIN: kind === 'postgres' ? '22400' : '22500',
      ORCH_PORT_MAX: kind === 'postgres' ? '22499' : '22599',
      ...(db?.url === undefined ? {} : { DATABASE_URL: db.url }),
    });
    const key = await registerVia(server.url);
    await json(`${server.url}/engines/provision`, {
      method: 'POST',
      headers: platformHeaders(key),
      body: JSON.stringify({ user_id: 'alice' }),
    });
    const admitUrl = `${server.url}/engines/alice/admit`;
    const healthUrl = `${server.url}/health`;
    const seqAdmit = await sequential(admitUrl, 'POST', platformHeaders(key), '{}', 1000);
    const seqHealth = await sequential(healthUrl, 'GET', {}, undefined, 1000);
    await cannon(admitUrl, 'POST', platformHeaders(key), '{}', 2);
    const admit200 = await cannon(admitUrl, 'POST', platformHeaders(key), '{}', ADMIT_DURATION_S);
    await cannon(healthUrl, 'GET', {}, undefined, 1);
    const health200 = await cannon(healthUrl, 'GET', {}, undefined, ADMIT_DURATION_S);
    await fetch(`${server.url}/engines/alice`, { method: 'DELETE', headers: platformHeaders(key) });
    return {
      db: kind,
      runner: server.runner,
      admit_c200: admit200,
      health_c200_baseline: health200,
      admit_sequential_ms: {
        p50: round(median(seqAdmit), 3),
        p99: round(percentile(seqAdmit, 99), 3),
      },
      health_sequential_ms_baseline: {
        p50: round(median(seqHealth), 3),
        p99: round(percentile(seqHealth, 99), 3),
      },
      meets_target: admit200.p50_ms <= 1 && admit200.p99_ms <= 5,
    };
  } finally {
    await server?.stop();
    killLeftovers(dataDir);
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** POST /engines/{u}/admit on a running engine: 200 in flight (autocannon) and one at a time. */
export async function benchOrchAdmit() {
  return {
    name: 'orchestratord.admit',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    method:
      "orchestratord's bundle in its own process, process driver, 1 running engine; autocannon 200 connections for " +
      `${ADMIT_DURATION_S} s after a warm-up (latency in whole ms), and 1000 sequential requests on one keep-alive socket (hrtime)`,
    target: 'p50 <= 1 ms, p99 <= 5 ms at 200 concurrent',
    postgres: await admitOn('postgres'),
    pglite: await admitOn('pglite'),
  };
}

async function auditCount(api: PlatformClient, userId: string, action: string): Promise<number> {
  const res = await api.listAudit({ query: { user_id: userId, limit: 1000 } });
  return res.status === 200 ? res.body.entries.filter((e) => e.action === action).length : 0;
}

/**
 * After `kill` (not awaited by the caller's clock): ms until /health answers 200 again (polled
 * every 5 ms, after it was seen down) and until the audit shows one more auto_restart.
 */
async function timeRecovery(
  fleet: Fleet,
  url: string,
  userId: string,
  kill: () => void,
): Promise<{ healthMs: number; auditMs: number; crashSeenMs: number }> {
  const restartsBefore = await auditCount(fleet.api, userId, 'auto_restart');
  const killedAt = Date.now();
  const started = performance.now();
  kill();
  const health = (async () => {
    let wasDown = false;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = (await healthStatus(url)) === 200;
      if (!ok) {
        wasDown = true;
      } else if (wasDown) {
        return performance.now() - started;
      }
      if (Date.now() > deadline) {
        throw new Error('no recovery within 30 s');
      }
      await sleep(5);
    }
  })();
  const audit = (async () => {
    const deadline = Date.now() + 30_000;
    while ((await auditCount(fleet.api, userId, 'auto_restart')) <= restartsBefore) {
      if (Date.now() > deadline) {
        throw new Error('no auto_restart in the audit within 30 s');
      }
      await sleep(10);
    }
    return performance.now() - started;
  })();
  const [healthMs, auditMs] = await Promise.all([health, audit]);
  // When the orchestrator noticed (the audit's own clock): the rest is start + boot.
  const res = await fleet.api.listAudit({ query: { user_id: userId, limit: 1000 } });
  const crash =
    res.status === 200 ? res.body.entries.findLast((e) => e.action === 'crash') : undefined;
  const crashSeenMs = crash === undefined ? Number.NaN : Date.parse(crash.at) - killedAt;
  return { healthMs, auditMs, crashSeenMs };
}

async function crashRun(driver: 'process' | 'docker', ports: [number, number], docker?: Docker) {
  const fleet = await startFleet(driver, ports, docker);
  try {
    const engine = await provisionOne(fleet, 'victim');
    const health: number[] = [];
    const audit: number[] = [];
    const seen: number[] = [];
    // Podman answers a kill late (~20 s: it waits on the restart policy); the next kill does not
    // wait for it, the fleet's close does.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < CRASH_RUNS; i++) {
      let kill: () => void;
      if (driver === 'process') {
        const record = JSON.parse(
          readFileSync(join(fleet.dataDir, 'engines', engine.engine_id, 'process.json'), 'utf8'),
        ) as { pid: number };
        kill = () => process.kill(record.pid, 'SIGKILL');
      } else {
        const container = (docker as Docker).getContainer(`engine-${engine.engine_id}`);
        kill = () => {
          pending.push(container.kill().catch(() => {}));
        };
      }
      const t = await timeRecovery(fleet, engine.url, 'victim', kill);
      health.push(t.healthMs);
      audit.push(t.auditMs);
      seen.push(t.crashSeenMs);
    }
    await Promise.all(pending);
    const restarts = await auditCount(fleet.api, 'victim', 'auto_restart');
    return {
      db: fleet.db,
      runner: fleet.runner,
      runs: CRASH_RUNS,
      kill_to_health_ok_ms: summary(health),
      kill_to_audit_auto_restart_ms: summary(audit),
      kill_to_crash_audited_ms: summary(seen),
      auto_restarts_audited: restarts,
      target: 'p50 <= 1000 ms',
      meets_target: median(health) <= 1000 && median(audit) <= 1000,
    };
  } finally {
    await fleet.close();
  }
}

/** Kill the engine (SIGKILL of the pid / the container), time until it is healthy again. */
export async function benchOrchCrash() {
  const processResult = await crashRun('process', [22600, 22699]);
  const docker = await dockerOrSkip();
  const dockerResult =
    typeof docker === 'string'
      ? { skipped: docker }
      : await crashRun('docker', [22700, 22799], docker);
  return {
    name: 'orchestratord.crash',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method:
      "orchestratord's bundle in its own process, default health interval (recovery comes from the driver events); /health polled every 5 ms, audit every 10 ms",
    process: processResult,
    docker: dockerResult,
  };
}

async function rssOn(kind: 'postgres' | 'pglite', engines: number) {
  const db = kind === 'postgres' ? await openPgDatabase() : undefined;
  if (kind === 'postgres' && db === undefined) {
    return { skipped: 'DATABASE_URL unset or unreachable' };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-orch-rss-'));
  const stub = fileURLToPath(new URL('./servers/stub-engine.ts', import.meta.url));
  let server: ChildServer | undefined;
  try {
    server = await startOrchestratord({
      ORCH_DATA_DIR: dataDir,
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, stub]),
      ORCH_PORT_MIN: kind === 'postgres' ? '23000' : '23200',
      ORCH_PORT_MAX: kind === 'postgres' ? '23199' : '23399',
      ORCH_HEALTH_INTERVAL_MS: '500',
      ...(db?.url === undefined ? {} : { DATABASE_URL: db.url }),
    });
    const users = Array.from({ length: engines }, (_, i) => `u-${i}`);
    const key = await registerVia(server.url);
    await sleep(3000);
    const url = server.url;
    const idleMemory = memoryOf(server.pid);
    const idle = idleMemory.rss_mb;
    if (engines === 0) {
      return {
        db: kind,
        runner: server.runner,
        idle_rss_mb: idle,
        idle_memory: idleMemory,
        engines: 0,
      };
    }
    const started = performance.now();
    // 10 at a time: the steady state with 100 engines is measured, not how fast they came up.
    for (let i = 0; i < users.length; i += 10) {
      await Promise.all(
        users.slice(i, i + 10).map((user) =>
          json(`${url}/engines/provision`, {
            method: 'POST',
            headers: platformHeaders(key),
            body: JSON.stringify({ user_id: user }),
          }),
        ),
      );
    }
    const provisionS = (performance.now() - started) / 1000;
    // A few health-loop ticks over all of them, RSS sampled as they run.
    const samples: number[] = [];
    let loaded = memoryOf(server.pid);
    for (let i = 0; i < 8; i++) {
      await sleep(500);
      loaded = memoryOf(server.pid);
      samples.push(loaded.rss_mb);
    }
    const status = await json<{ by_status: Record<string, number>; health: unknown }>(
      `${server.url}/status`,
      { headers: platformHeaders(key) },
    );
    for (let i = 0; i < users.length; i += 10) {
      await Promise.all(
        users.slice(i, i + 10).map((user) =>
          fetch(`${url}/engines/${user}`, {
            method: 'DELETE',
            headers: platformHeaders(key),
          }),
        ),
      );
    }
    const withEngines = samples.at(-1) ?? 0;
    return {
      db: kind,
      runner: server.runner,
      idle_rss_mb: idle,
      idle_memory: idleMemory,
      rss_mb_with_engines: round(withEngines, 1),
      memory_with_engines: loaded,
      rss_mb_with_engines_max: round(Math.max(...samples), 1),
      engines,
      fleet_by_status: status.by_status,
      fleet_health: status.health,
      provision_all_10_in_flight_s: round(provisionS, 1),
      meets_target: withEngines <= 150,
    };
  } finally {
    await server?.stop();
    // Engines a failed run left behind (a clean run destroyed them all through the API).
    const leftovers = killLeftovers(dataDir);
    if (leftovers > 0) {
      process.stderr.write(`orchestratord.rss: killed ${leftovers} leftover engine processes\n`);
    }
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The orchestrator process's own RSS (real bundle), idle and with 100 stand-in engines. */
export async function benchOrchRss() {
  return {
    name: 'orchestratord.rss',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'MB',
    method:
      "orchestratord's bundle as its own process, process driver, stand-in engines (bench/servers/stub-engine.ts), ORCH_HEALTH_INTERVAL_MS=500; VmRSS from /proc",
    target: `<= 150 MB with ${RSS_ENGINES} engines`,
    bare_node_memory: await bareNodeMemory(),
    postgres: await rssOn('postgres', RSS_ENGINES),
    // Idle only: PGlite's share is the embedded database itself, and 100 more spawns would
    // double the benchmark's time. BENCH_ORCH_RSS_PGLITE_ENGINES=100 measures it loaded too.
    pglite: await rssOn('pglite', Number(process.env.BENCH_ORCH_RSS_PGLITE_ENGINES ?? 0)),
  };
}
