import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@agentplane/http-kit';
import {
  type DriverEvent,
  type EngineDriver,
  type EngineSpec,
  emitToAll,
  type ObservedEngine,
} from './driver.js';
import { entryDigests, requireEntry, spawnFailure } from './process-entry.js';
import {
  deleteRecord,
  isRecordAlive,
  type ProcessRecord,
  procStartOf,
  readRecord,
  writeRecord,
} from './process-record.js';
import {
  checkId,
  engineEnv,
  exitCodeOf,
  isSafeId,
  openLog,
  SAFE_ENV,
  signal,
  sleep,
  specHashOf,
} from './process-spawn.js';

export interface ProcessDriverOptions {
  /** One directory per engine below this (ORCH_DATA_DIR/engines): brain, process.json, engine.log. */
  dataDir: string;
  /** How to run the engine, e.g. [process.execPath, '<repo>/apps/engine/dist/main.js']. */
  command: readonly string[];
  /** The catalog directory (CATALOG_DIR of every engine). */
  catalogDir: string;
  logger: Logger;
  /**
   * The environment every engine starts from, before the contract's variables and spec.env.
   * Default: PATH, HOME, TMPDIR, TZ, LANG and LC_ALL of ours — never our whole environment, which
   * holds the orchestrator's own secrets.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Grace between SIGTERM and SIGKILL when `remove` stops a running engine; default 10 s. */
  stopGraceS?: number;
  /** Liveness poll of engines that are not our children (adopted after a restart); default 250 ms. */
  pollMs?: number;
  /** engine.log is rotated to engine.log.1 at spawn once larger than this; default 10 MiB. */
  maxLogBytes?: number;
}

/**
 * The `process` driver: each engine is a child process on 127.0.0.1 with the container's
 * environment contract, for machines without a container engine. Children are spawned detached
 * (their own process group) and unref'd, so they outlive the orchestrator, even a SIGKILL of it;
 * `process.json` in each engine's directory lets the next orchestrator adopt them. A graceful
 * exit stops them unless configured otherwise: main.ts does that through the lifecycle
 * (sleep-on-exit.ts) before `close`, which never stops an engine itself.
 */
export function createProcessDriver(options: ProcessDriverOptions): EngineDriver {
  const log = options.logger.child({ component: 'process-driver' });
  const [file, ...args] = options.command;
  if (file === undefined) {
    throw new Error('process driver: command is empty');
  }
  const pollMs = options.pollMs ?? 250;
  const maxLogBytes = options.maxLogBytes ?? 10 * 1024 * 1024;
  const baseEnv =
    options.env ?? Object.fromEntries(SAFE_ENV.map((key) => [key, process.env[key]] as const));
  const listeners = new Set<(event: DriverEvent) => void>();
  const children = new Map<string, ChildProcess>();
  /** Live engines that are not our children: polled for liveness while someone subscribes. */
  const adopted = new Map<string, ProcessRecord>();
  let poller: NodeJS.Timeout | undefined;
  let polling = false;
  let closed = false;

  const dirOf = (engineId: string) => {
    checkId(engineId);
    return join(options.dataDir, engineId);
  };

  function emit(event: DriverEvent): void {
    if (!closed) {
      emitToAll(listeners, event, log);
    }
  }

  async function spawnEngine(spec: EngineSpec): Promise<void> {
    const dir = dirOf(spec.engineId);
    let made: string | undefined;
    let child: ChildProcess;
    try {
      made = await mkdir(dir, { recursive: true });
      const logFd = await openLog(dir, maxLogBytes);
      try {
        child = spawn(file as string, args, {
          cwd: dir,
          env: engineEnv({ base: baseEnv, spec, dir, catalogDir: options.catalogDir }),
          detached: true,
          stdio: ['ignore', logFd, logFd],
        });
        // Rejects with the spawn error (ENOENT, EACCES) when there is no process.
        await once(child, 'spawn');
      } finally {
        closeSync(logFd);
      }
    } catch (err) {
      // A directory this call made holds only a log: listData must not report an engine.
      if (made !== undefined) {
        await rm(dir, { recursive: true, force: true });
      }
      throw spawnFailure(err, options.command);
    }
    child.unref();
    const pid = child.pid as number;
    children.set(spec.engineId, child);
    adopted.delete(spec.engineId);
    child.once('exit', (code, sig) => {
      if (children.get(spec.engineId) === child) {
        children.delete(spec.engineId);
      }
      log.info({ engineId: spec.engineId, pid, code, signal: sig }, 'engine process exited');
      const exitCode = exitCodeOf(code, sig);
      emit(
        exitCode === undefined
          ? { engineId: spec.engineId, kind: 'died' }
          : { engineId: spec.engineId, kind: 'died', exitCode },
      );
    });
    await writeRecord(dir, {
      engineId: spec.engineId,
      productId: spec.productId,
      userId: spec.userId,
      hostPort: spec.hostPort,
      pid,
      startedAt: new Date().toISOString(),
      command: [...options.command],
      procStart: await procStartOf(pid),
      specHash: specHashOf(spec, options.command),
    });
    log.info({ engineId: spec.engineId, pid, hostPort: spec.hostPort }, 'engine process started');
    emit({ engineId: spec.engineId, kind: 'started' });
  }

  /** The record of a running engine, or undefined when none runs. */
  async function liveRecord(engineId: string): Promise<ProcessRecord | undefined> {
    const record = await readRecord(dirOf(engineId));
    return record !== undefined && (await isRecordAlive(record)) ? record : undefined;
  }

  async function waitDead(record: ProcessRecord, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await isRecordAlive(record))) {
        return true;
      }
      if (Date.now() >= deadline) {
        return false;
      }
      await sleep(20);
    }
  }

  async function stopEngine(engineId: string, graceS: number): Promise<void> {
    const record = await liveRecord(engineId);
    if (record === undefined) {
      return;
    }
    signal(record.pid, 'SIGTERM');
    if (await waitDead(record, graceS * 1000)) {
      return;
    }
    log.warn({ engineId, pid: record.pid, graceS }, 'engine ignored SIGTERM: killing');
    signal(record.pid, 'SIGKILL');
    if (!(await waitDead(record, 5000))) {
      throw new Error(`engine ${engineId} (pid ${record.pid}) survived SIGKILL`);
    }
  }

  async function pollAdopted(): Promise<void> {
    if (polling) {
      return;
    }
    polling = true;
    try {
      for (const [engineId, record] of adopted) {
        if (!(await isRecordAlive(record)) && adopted.get(engineId) === record) {
          adopted.delete(engineId);
          log.info({ engineId, pid: record.pid }, 'adopted engine process exited');
          emit({ engineId, kind: 'died' });
        }
      }
    } finally {
      polling = false;
    }
  }

  async function scanDirs(): Promise<string[]> {
    try {
      const entries = await readdir(options.dataDir, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isSafeId(e.name)).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw err;
    }
  }

  async function list(): Promise<ObservedEngine[]> {
    const found: ObservedEngine[] = [];
    for (const engineId of await scanDirs()) {
      const record = await readRecord(join(options.dataDir, engineId));
      if (record === undefined) {
        continue;
      }
      const running = await isRecordAlive(record);
      if (running && !children.has(engineId)) {
        adopted.set(engineId, record);
      }
      found.push({
        engineId,
        productId: record.productId,
        userId: record.userId,
        running,
        hostPort: record.hostPort,
      });
    }
    return found;
  }

  return {
    kind: 'process',

    async create(spec) {
      // Before anything is stopped or made: a missing entry fails at once, leaving nothing.
      await requireEntry(options.command);
      // A process left by a crashed attempt is replaced, as a leftover container is.
      await stopEngine(spec.engineId, 0);
      await spawnEngine(spec);
    },

    async start(spec) {
      const record = await liveRecord(spec.engineId);
      if (record !== undefined && record.specHash === specHashOf(spec, options.command)) {
        return;
      }
      // A running engine is not stopped for a respawn that cannot happen.
      await requireEntry(options.command);
      if (record !== undefined) {
        // A new key, port or env only reaches a process at spawn; the brain stays.
        log.info({ engineId: spec.engineId }, 'spec changed: restarting the engine process');
        await stopEngine(spec.engineId, options.stopGraceS ?? 10);
      }
      await spawnEngine(spec);
    },

    stop: stopEngine,

    async remove(engineId, { keepData }) {
      const dir = dirOf(engineId);
      await stopEngine(engineId, options.stopGraceS ?? 10);
      adopted.delete(engineId);
      if (keepData) {
        await deleteRecord(dir);
      } else {
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    },

    list,

    listData: scanDirs,

    subscribe(listener) {
      if (closed) {
        return () => {};
      }
      listeners.add(listener);
      if (poller === undefined) {
        // Learn which live engines are not ours to hear exit from; list() keeps that up to date.
        void list().catch((err: unknown) => log.warn({ err }, 'process scan failed'));
        poller = setInterval(() => void pollAdopted(), pollMs);
        poller.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && poller !== undefined) {
          clearInterval(poller);
          poller = undefined;
        }
      };
    },

    // Every engine runs the command, whatever its spec's image: the command is the one image.
    imageDigests: () => entryDigests(options.command),

    urlFor(hostPort) {
      return `http://127.0.0.1:${hostPort}`;
    },

    async close() {
      // The engines keep running: the next orchestrator adopts them (unless main.ts stopped
      // them first, ORCH_PROCESS_ENGINES_ON_EXIT=sleep).
      closed = true;
      listeners.clear();
      if (poller !== undefined) {
        clearInterval(poller);
        poller = undefined;
      }
    },
  };
}
