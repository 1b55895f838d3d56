import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DriverError, type EngineSpec } from './driver.js';
import { type ContractState, describeDriverContract } from './driver-contract.js';
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

// The process driver running the real engine bundle: the shared driver contract, plus what only
// a process has (its record, its directory, adoption by the next orchestrator, spawn failures).

const key = newEngineKey();
const specFor = async (engineId: string): Promise<EngineSpec> => ({
  engineId,
  productId: 'prod-it',
  userId: 'user-it',
  image: 'ignored',
  hostPort: await ephemeralPort(),
  keyHash: key.hash,
  env: {},
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('process driver', () => {
  let tmp: TmpDir;
  let main: string;
  /** One data dir per test below tmp, so each can expect exact lists. */
  let optionsIn: (name: string) => ProcessDriverOptions;

  beforeAll(async () => {
    main = await buildEngineBundle();
    tmp = await createTmpDir('orch-process-driver-');
    optionsIn = (name) => ({
      dataDir: join(tmp.path, name),
      command: [process.execPath, main],
      catalogDir,
      logger: testLogger,
      stopGraceS: 5,
    });
  }, 180_000);

  afterAll(async () => {
    if (tmp === undefined) {
      return;
    }
    // Engines outlive their driver by design: kill whatever a failed test left running.
    for (const dataDir of await readdir(tmp.path)) {
      for (const id of await readdir(join(tmp.path, dataDir)).catch(() => [])) {
        const record = await readRecord(join(tmp.path, dataDir, id)).catch(() => undefined);
        if (record !== undefined && (await isRecordAlive(record))) {
          process.kill(-record.pid, 'SIGKILL');
        }
      }
    }
    await tmp.remove();
  });

  describeDriverContract('contract', async () => {
    const options = optionsIn('contract');
    const dirOf = (engineId: string) => join(options.dataDir, engineId);
    const missingEntry = join(tmp.path, 'missing', 'main.js');
    return {
      driver: createProcessDriver(options),
      image: 'ignored',
      digest: `sha256:${createHash('sha256')
        .update(await readFile(main))
        .digest('hex')}`,
      missing: {
        driver: createProcessDriver({ ...options, command: [process.execPath, missingEntry] }),
        image: 'ignored',
        named: missingEntry,
      },
      async kill(engineId) {
        process.kill((await readRecord(dirOf(engineId)))?.pid as number, 'SIGKILL');
      },
      async instanceOf(engineId) {
        const record = await readRecord(dirOf(engineId));
        return record && `${record.pid}@${record.procStart}`;
      },
      checks: {
        async afterCreate({ spec }: ContractState) {
          const dir = dirOf(spec.engineId);
          const record = await readRecord(dir);
          expect(record).toMatchObject({
            engineId: spec.engineId,
            productId: 'prod-it',
            hostPort: spec.hostPort,
          });
          expect(existsSync(join(dir, 'brain.sqlite'))).toBe(true);
          expect(existsSync(join(dir, 'engine.log'))).toBe(true);
          const env = await readFile(`/proc/${record?.pid}/environ`, 'utf8');
          expect(env.split('\0')).toEqual(
            expect.arrayContaining([
              'NODE_ENV=production',
              'HOST=127.0.0.1',
              'ENGINE_REPLAY_TTL_S=60',
            ]),
          );
        },
        async afterStop({ spec }) {
          expect(existsSync(join(dirOf(spec.engineId), 'brain.sqlite'))).toBe(true);
        },
        async afterRemoveKeepData({ spec }) {
          expect(existsSync(join(dirOf(spec.engineId), 'brain.sqlite'))).toBe(true);
          expect(existsSync(join(dirOf(spec.engineId), 'process.json'))).toBe(false);
        },
        async afterRemove({ spec }) {
          expect(existsSync(dirOf(spec.engineId))).toBe(false);
        },
      },
      // The afterAll above kills what is left; the directory goes with tmp.
      cleanup: async () => {},
    };
  });

  test('adoption: a closed driver leaves its engine running; the next one hears its kill -9', async () => {
    const options = optionsIn('adoption');
    const spec = await specFor('it-adopt');
    const url = `http://127.0.0.1:${spec.hostPort}`;
    const before = createProcessDriver(options);
    await before.create(spec);
    await waitHealthy(url);
    await before.close(); // the engine keeps running

    const driver = createProcessDriver(options);
    const recorder = recordEvents(driver);
    try {
      const listed = { engineId: 'it-adopt', productId: 'prod-it', userId: 'user-it' };
      expect(await driver.list()).toEqual([{ ...listed, running: true, hostPort: spec.hostPort }]);
      expect(await rpc(url, key.key)).toBe(200);
      const pid = (await readRecord(join(options.dataDir, 'it-adopt')))?.pid as number;
      const since = Date.now();
      process.kill(pid, 'SIGKILL');
      const died = await recorder.waitFor((e) => e.kind === 'died', since);
      process.stderr.write(`[process-driver] kill -9 → died event in ${died.at - since} ms\n`);
      expect(await driver.list()).toEqual([{ ...listed, running: false, hostPort: spec.hostPort }]);
      await driver.remove('it-adopt', { keepData: false });
    } finally {
      recorder.unsubscribe();
      await driver.close();
    }
  });

  test('an engine outlives a SIGKILLed orchestrator and the next one adopts it', async () => {
    // A separate process plays the orchestrator: it creates the engine, then dies by SIGKILL.
    const options = optionsIn('orphan');
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
    const orphanSpec = await specFor('it-orphan');
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

    const driver = createProcessDriver(options);
    const orphanUrl = driver.urlFor(orphanSpec.hostPort);
    await waitHealthy(orphanUrl);
    expect(await driver.list()).toContainEqual({
      engineId: 'it-orphan',
      productId: 'prod-it',
      userId: 'user-it',
      running: true,
      hostPort: orphanSpec.hostPort,
    });
    await driver.remove('it-orphan', { keepData: false });
    expect(existsSync(join(options.dataDir, 'it-orphan'))).toBe(false);
    await expect(fetch(`${orphanUrl}/health`)).rejects.toThrow();
    await driver.close();
  });

  test('spawn failures: a missing command is image_not_found, one that cannot run a driver error', async () => {
    const options = optionsIn('broken');
    const spec = await specFor('it-broken');
    const make = (command: string[]) => createProcessDriver({ ...options, command });
    const notExecutable = join(tmp.path, 'not-executable');
    await writeFile(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    const cases = [
      // An absolute path is checked before anything is spawned.
      { command: [join(tmp.path, 'no-such-node')], kind: 'image_not_found', code: 'ENOENT' },
      // A bare name is looked up on PATH by spawn itself.
      { command: ['agentplane-no-such-command'], kind: 'image_not_found', code: 'ENOENT' },
      // It exists, so it is not missing: the host refused to run it.
      { command: [notExecutable], kind: 'driver', code: 'EACCES' },
    ];
    for (const { command, kind, code } of cases) {
      const driver = make(command);
      const err = await failure(driver.create(spec));
      expect(err, command[0]).toBeInstanceOf(DriverError);
      expect(err, command[0]).toMatchObject({ kind, cause: { code } });
      // Nothing left behind, not even the directory a failed spawn had made.
      expect(await driver.listData()).toEqual([]);
      await driver.close();
    }
    const driver = make([process.execPath, main]);
    await expect(driver.create({ ...spec, engineId: '../escape' })).rejects.toThrow(/safe/);
    await driver.close();
  });
});
