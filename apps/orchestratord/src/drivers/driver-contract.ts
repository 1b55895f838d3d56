import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DriverError, type EngineDriver, type EngineSpec } from './driver.js';
import {
  ephemeralPort,
  newEngineKey,
  recordEvents,
  rpc,
  waitHealthy,
} from './driver-test-support.js';

// What every EngineDriver promises, run against each one with the real engine: one engine taken
// through create → stop → start → a kill from outside → remove (keepData) → start again →
// create over it → start with a new key → remove, plus a create from an image that does not
// exist. Each driver's test file adds only what is its own, through `checks` or its own tests.

/** Where the shared lifecycle is, handed to a driver's own checks. */
export interface ContractState {
  driver: EngineDriver;
  spec: EngineSpec;
  url: string;
}

type Check = (state: ContractState) => Promise<void>;

/** One driver as the contract needs it; built by `setup` once the engine image/bundle exists. */
export interface DriverUnderTest {
  driver: EngineDriver;
  /** `spec.image` of a real engine (the process driver ignores it). */
  image: string;
  /** A digest `imageDigests(image)` must report (docker: the pin; process: the entry's sha256). */
  digest: string;
  /**
   * A driver and `spec.image` under which the engine does not exist (docker: an image that is
   * not on the host; process: a command whose entry is missing), and a string the error names.
   */
  missing: { driver: EngineDriver; image: string; named: string };
  /** Kills the engine behind the driver's back, as a crash would (docker kill, kill -9). */
  kill(engineId: string): Promise<void>;
  /** Changes whenever the engine is re-created or respawned (container id, pid). */
  instanceOf(engineId: string): Promise<string | undefined>;
  /** The driver's own assertions at points of the shared lifecycle. */
  checks?: {
    afterCreate?: Check;
    afterStop?: Check;
    afterStart?: Check;
    /** Also the place to break what a re-create must repair (docker: remove the network). */
    afterRemoveKeepData?: Check;
    afterRemove?: Check;
  };
  /** Removes whatever a failed run left of these engines. */
  cleanup(engineIds: string[]): Promise<void>;
}

export function describeDriverContract(name: string, setup: () => Promise<DriverUnderTest>): void {
  describe(name, () => {
    // Container names are host-wide: an id per run keeps parallel runs apart.
    const engineId = `ct-${randomBytes(4).toString('hex')}`;
    const missingId = `${engineId}-missing`;
    const first = newEngineKey();
    const second = newEngineKey();
    let target: DriverUnderTest;
    let recorder: ReturnType<typeof recordEvents>;
    let state: ContractState;
    const check = (at: keyof NonNullable<DriverUnderTest['checks']>) =>
      target.checks?.[at]?.({ ...state });
    const listed = (running: boolean) => [
      {
        engineId,
        productId: 'prod-it',
        userId: 'user-it',
        running,
        hostPort: state.spec.hostPort,
      },
    ];
    const isDied = (e: { engineId: string; kind: string }) =>
      e.engineId === engineId && e.kind === 'died';

    beforeAll(async () => {
      target = await setup();
      recorder = recordEvents(target.driver);
      const spec: EngineSpec = {
        engineId,
        productId: 'prod-it',
        userId: 'user-it',
        image: target.image,
        hostPort: await ephemeralPort(),
        keyHash: first.hash,
        env: { ENGINE_REPLAY_TTL_S: '60' },
      };
      state = { driver: target.driver, spec, url: target.driver.urlFor(spec.hostPort) };
    }, 300_000); // the first build of the engine image takes minutes

    afterAll(async () => {
      recorder?.unsubscribe();
      if (target === undefined) {
        return;
      }
      await target.cleanup([engineId, missingId]);
      await target.driver.close();
      if (target.missing.driver !== target.driver) {
        await target.missing.driver.close();
      }
    });

    test('create: a healthy engine that enforces its key, listed with its data', async () => {
      const { driver, spec, url } = state;
      const since = Date.now();
      await driver.create(spec);
      await waitHealthy(url);
      expect(url).toBe(`http://127.0.0.1:${spec.hostPort}`);
      expect(await rpc(url, undefined)).toBe(401);
      expect(await rpc(url, second.key)).toBe(401);
      expect(await rpc(url, first.key)).toBe(200);
      expect(await driver.list()).toEqual(listed(true));
      expect(await driver.listData()).toEqual([engineId]);
      await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'started', since);
      await check('afterCreate');
    });

    // The test's own time-out (a third of the default) is the only bound on "at once": a driver
    // that waited for a boot, or succeeded and let the lifecycle wait, would fail here.
    test('create and start from a missing image: image_not_found at once, nothing left', async () => {
      const { driver, image, named } = target.missing;
      const spec = { ...state.spec, engineId: missingId, image, hostPort: await ephemeralPort() };
      for (const [call, run] of [
        ['create', () => driver.create(spec)],
        ['start', () => driver.start(spec)],
      ] as const) {
        const began = performance.now();
        const err: unknown = await run().then(
          () => undefined,
          (e: unknown) => e,
        );
        process.stderr.write(
          `[${name}] ${call} of a missing image rejected in ${Math.round(performance.now() - began)} ms: ${(err as Error)?.message}\n`,
        );
        expect(err).toBeInstanceOf(DriverError);
        expect(err).toMatchObject({ kind: 'image_not_found' });
        expect((err as Error).message).toContain(named);
        expect((err as Error).cause).toBeDefined();
        expect((await state.driver.list()).map((e) => e.engineId)).not.toContain(missingId);
        expect(await state.driver.listData()).not.toContain(missingId);
      }
    }, 60_000);

    test('imageDigests: the image’s digests, its own among them; a missing image has none', async () => {
      const digests = await target.driver.imageDigests(target.image);
      expect(digests).toContain(target.digest);
      for (const digest of digests ?? []) {
        expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
      // Asked again: the same answer (the catalog compares it with what it stored).
      expect(await target.driver.imageDigests(target.image)).toEqual(digests);
      const { driver, image } = target.missing;
      expect(await driver.imageDigests(image)).toBeUndefined();
    });

    test('stop: not running, a died event (exit 0); stopping again is harmless', async () => {
      const { driver, url } = state;
      // Something to find after the restart: the accepted key set lives in the brain.
      const rotate = {
        subsystem: 'control',
        op: 'set_key_hashes',
        hashes: [first.hash, second.hash],
      };
      expect(await rpc(url, first.key, rotate)).toBe(200);
      const since = Date.now();
      await driver.stop(engineId, 10);
      const died = await recorder.waitFor(isDied, since);
      expect(died.exitCode).toBe(0); // the engine exits cleanly on SIGTERM
      expect(await driver.list()).toEqual(listed(false));
      await check('afterStop');
      await driver.stop(engineId, 10);
    });

    test('start: healthy again with the brain kept; starting it again changes nothing', async () => {
      const { driver, spec, url } = state;
      await driver.start(spec);
      await waitHealthy(url);
      const instance = await target.instanceOf(engineId);
      await driver.start(spec);
      expect(await target.instanceOf(engineId)).toBe(instance);
      expect(await rpc(url, second.key)).toBe(200);
      await check('afterStart');
    });

    test('a kill from outside: a died event (exit 137); start brings it back', async () => {
      const { driver, spec, url } = state;
      const since = Date.now();
      await target.kill(engineId);
      const died = await recorder.waitFor(isDied, since);
      process.stderr.write(`[${name}] kill → died event in ${died.at - since} ms\n`);
      expect(died.exitCode).toBe(137);
      await driver.start(spec);
      await waitHealthy(url);
      expect(await rpc(url, second.key)).toBe(200);
    });

    test('remove keepData: unlisted, its data kept; start runs it again on that data', async () => {
      const { driver, spec, url } = state;
      await driver.remove(engineId, { keepData: true });
      expect(await driver.list()).toEqual([]);
      expect(await driver.listData()).toEqual([engineId]);
      await check('afterRemoveKeepData');
      await driver.start(spec);
      await waitHealthy(url);
      expect(await rpc(url, second.key)).toBe(200);
    });

    test('create over a live engine replaces it; start with a new key re-creates it', async () => {
      const { driver, url } = state;
      const before = await target.instanceOf(engineId);
      await driver.create(state.spec);
      await waitHealthy(url);
      const replaced = await target.instanceOf(engineId);
      expect(replaced).not.toBe(before);

      const third = newEngineKey();
      state = { ...state, spec: { ...state.spec, keyHash: third.hash } };
      await driver.start(state.spec);
      await waitHealthy(url);
      expect(await target.instanceOf(engineId)).not.toBe(replaced);
      // A changed ENGINE_KEY_HASH is newer than the set stored in the brain: only it is accepted.
      expect(await rpc(url, third.key)).toBe(200);
      expect(await rpc(url, second.key)).toBe(401);
    });

    test('remove: the engine and its data are gone; remove and stop again are harmless', async () => {
      const { driver } = state;
      await driver.remove(engineId, { keepData: false });
      expect(await driver.list()).toEqual([]);
      expect(await driver.listData()).toEqual([]);
      await check('afterRemove');
      await driver.remove(engineId, { keepData: false });
      await driver.stop(engineId, 1);
    });
  });
}
