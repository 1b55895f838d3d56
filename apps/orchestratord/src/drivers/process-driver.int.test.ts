import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EngineDriver, EngineSpec } from './driver.js';
import {
  buildEngineBundle,
  catalogDir,
  ephemeralPort,
  newEngineKey,
  recordEvents,
  rpc,
  testLogger,
  waitHealthy,
} from './driver-test-support.js';
import { createProcessDriver, type ProcessDriverOptions } from './process-driver.js';
import { isRecordAlive, readRecord } from './process-record.js';

// The process driver running the real engine bundle: create → stop → start → adoption by a
// second driver → kill -9 → remove (keepData) → start again → remove.

describe('process driver', () => {
  const engineId = 'it-proc';
  const orphanId = 'it-orphan';
  const first = newEngineKey();
  const second = newEngineKey();
  let tmp: TmpDir;
  let options: ProcessDriverOptions;
  let driver: EngineDriver;
  let recorder: ReturnType<typeof recordEvents>;
  let spec: EngineSpec;
  let url: string;
  const dir = () => join(tmp.path, engineId);
  const pidOf = async () => (await readRecord(dir()))?.pid as number;

  beforeAll(async () => {
    const main = await buildEngineBundle();
    tmp = await createTmpDir('orch-process-driver-');
    options = {
      dataDir: tmp.path,
      command: [process.execPath, main],
      catalogDir,
      logger: testLogger,
      stopGraceS: 5,
    };
    driver = createProcessDriver(options);
    recorder = recordEvents(driver);
    spec = {
      engineId,
      productId: 'prod-it',
      userId: 'user-it',
      image: 'ignored',
      hostPort: await ephemeralPort(),
      keyHash: first.hash,
      env: { ENGINE_REPLAY_TTL_S: '60' },
    };
    url = driver.urlFor(spec.hostPort);
  }, 180_000);

  afterAll(async () => {
    recorder?.unsubscribe();
    await driver?.close();
    if (tmp === undefined) {
      return;
    }
    // Engines outlive their driver by design: kill whatever a failed test left running.
    for (const id of [engineId, orphanId]) {
      const record = await readRecord(join(tmp.path, id)).catch(() => undefined);
      if (record !== undefined && (await isRecordAlive(record))) {
        process.kill(-record.pid, 'SIGKILL');
      }
    }
    await tmp.remove();
  });

  test('create: a healthy engine process that enforces its key', async () => {
    const since = Date.now();
    await driver.create(spec);
    await waitHealthy(url);
    expect(url).toBe(`http://127.0.0.1:${spec.hostPort}`);
    expect(await rpc(url, undefined)).toBe(401);
    expect(await rpc(url, second.key)).toBe(401);
    expect(await rpc(url, first.key)).toBe(200);

    const record = await readRecord(dir());
    expect(record).toMatchObject({ engineId, productId: 'prod-it', hostPort: spec.hostPort });
    expect(existsSync(join(dir(), 'brain.sqlite'))).toBe(true);
    expect(existsSync(join(dir(), 'engine.log'))).toBe(true);
    const env = await readFile(`/proc/${record?.pid}/environ`, 'utf8');
    expect(env.split('\0')).toEqual(
      expect.arrayContaining(['NODE_ENV=production', 'HOST=127.0.0.1', 'ENGINE_REPLAY_TTL_S=60']),
    );
    expect(await driver.list()).toEqual([
      { engineId, productId: 'prod-it', userId: 'user-it', running: true, hostPort: spec.hostPort },
    ]);
    expect(await driver.listData()).toEqual([engineId]);
    await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'started', since);
  });

  test('stop: the engine exits on SIGTERM and a died event arrives', async () => {
    const rotate = {
      subsystem: 'control',
      op: 'set_key_hashes',
      hashes: [first.hash, second.hash],
    };
    expect(await rpc(url, first.key, rotate)).toBe(200);
    const since = Date.now();
    await driver.stop(engineId, 10);
    const died = await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'died', since);
    expect(died.exitCode).toBe(0);
    expect((await driver.list())[0]?.running).toBe(false);
    expect(existsSync(join(dir(), 'brain.sqlite'))).toBe(true);
    await driver.stop(engineId, 10); // already stopped: no error
  });

  test('start: the same brain again', async () => {
    await driver.start(spec);
    await waitHealthy(url);
    await driver.start(spec); // running with the same spec: nothing happens
    expect(await rpc(url, second.key)).toBe(200);
  });

  test('adoption: a new driver finds the running engine and hears kill -9', async () => {
    const pid = await pidOf();
    recorder.unsubscribe();
    await driver.close(); // the engine keeps running
    driver = createProcessDriver(options);
    recorder = recordEvents(driver);
    expect(await driver.list()).toEqual([
      { engineId, productId: 'prod-it', userId: 'user-it', running: true, hostPort: spec.hostPort },
    ]);
    expect(await rpc(url, second.key)).toBe(200);

    const since = Date.now();
    process.kill(pid, 'SIGKILL');
    const died = await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'died', since);
    process.stderr.write(`[process-driver] kill -9 → died event in ${died.at - since} ms\n`);
    expect((await driver.list())[0]?.running).toBe(false);
  });

  test('remove keepData keeps the brain; start spawns on it; remove drops the dir', async () => {
    await driver.start(spec);
    await waitHealthy(url);
    await driver.remove(engineId, { keepData: true });
    expect(await driver.list()).toEqual([]);
    expect(await driver.listData()).toEqual([engineId]);
    expect(existsSync(join(dir(), 'brain.sqlite'))).toBe(true);
    expect(existsSync(join(dir(), 'process.json'))).toBe(false);

    await driver.start(spec);
    await waitHealthy(url);
    expect(await rpc(url, second.key)).toBe(200);

    await driver.remove(engineId, { keepData: false });
    expect(existsSync(dir())).toBe(false);
    expect(await driver.listData()).toEqual([]);
    await driver.remove(engineId, { keepData: false }); // nothing left: no error
  });

  test('an engine outlives a SIGKILLed orchestrator and the next one adopts it', async () => {
    // A separate process plays the orchestrator: it creates the engine, then dies by SIGKILL.
    const script = join(tmp.path, 'orchestrator.mts');
    const driverUrl = new URL('./process-driver.ts', import.meta.url).href;
    await writeFile(
      script,
      `import { createProcessDriver } from ${JSON.stringify(driverUrl)};
const [options, spec] = JSON.parse(process.argv[2]);
const noop = () => {};
const logger = { child: () => logger, info: noop, warn: noop, error: noop };
const driver = createProcessDriver({ ...options, logger });
await driver.create(spec);
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`,
    );
    const orphanSpec = { ...spec, engineId: orphanId, hostPort: await ephemeralPort() };
    const { logger: _, ...plain } = options;
    const orchestrator = spawn(
      process.execPath,
      ['--import', 'tsx', script, JSON.stringify([plain, orphanSpec])],
      { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [chunk] = (await once(orchestrator.stdout, 'data')) as [Buffer];
    expect(chunk.toString()).toBe('ready\n');
    orchestrator.kill('SIGKILL');
    await once(orchestrator, 'exit');

    const orphanUrl = driver.urlFor(orphanSpec.hostPort);
    await waitHealthy(orphanUrl);
    expect(await driver.list()).toContainEqual({
      engineId: orphanId,
      productId: 'prod-it',
      userId: 'user-it',
      running: true,
      hostPort: orphanSpec.hostPort,
    });
    await driver.remove(orphanId, { keepData: false });
    expect(existsSync(join(tmp.path, orphanId))).toBe(false);
    await expect(fetch(`${orphanUrl}/health`)).rejects.toThrow();
  });

  test('a command that cannot run and an unsafe engine id are errors', async () => {
    const broken = createProcessDriver({
      ...options,
      dataDir: join(tmp.path, 'broken'),
      command: [join(tmp.path, 'no-such-node')],
    });
    await expect(broken.create({ ...spec, engineId: 'it-broken' })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await expect(broken.create({ ...spec, engineId: '../escape' })).rejects.toThrow(/safe/);
    await broken.close();
  });
});
