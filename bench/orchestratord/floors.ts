import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogDir, ephemeralPort } from '@agentplane/orchestratord/driver-test-support';
import { waitHealthy } from '@agentplane/testkit/wait-healthy';
import type Docker from 'dockerode';
import { startFlags } from '../harness.js';
import { bundle, FLOOR_POLL_MS } from './common.js';

// Provision's floors: what a driver does to start an engine, done by hand without the
// orchestrator, each timed to the engine's first 200 (1 unrecorded warm-up run first).

const BENCH_LABEL = 'agentplane.bench';

/** Polls the engine's /health every 5 ms until 200 (the floors' clock stops there). */
const firstOk = (port: number) =>
  waitHealthy(`http://127.0.0.1:${port}`, { everyMs: FLOOR_POLL_MS, timeoutMs: 60_000 });

/** The process driver's spawn with its environment, without the orchestrator: spawn → first 200. */
export async function rawSpawnFloor(runs: number): Promise<number[]> {
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
      await firstOk(port);
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

/** The docker driver's container body through dockerode, without the orchestrator: create+start → first 200. */
export async function rawContainerFloor(
  docker: Docker,
  ref: string,
  runs: number,
): Promise<number[]> {
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
      await firstOk(port);
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
