import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import type { WorkerInfo, WorkerType } from '@agentplane/contracts';
import type { Logger } from '@agentplane/http-kit';
import type { Observation } from '../am-metrics.js';
import type { JobLease } from '../queue/job-queue.js';

export interface SpawnOptions {
  type: WorkerType;
  concurrency: number;
  /** A dedicated worker runs only this agent's runs. */
  agentId?: string;
  /** --max-old-space-size of the worker (an agent's resources.ram). */
  maxHeapMb?: number;
  /** Part of the default pool: replaced when it dies (not when drained). */
  pooled?: boolean;
}

/** What a worker reports over IPC (see worker-main.ts). */
export type WorkerReport =
  | { t: 'worker-ready' }
  | { t: 'worker-status'; inFlight: number }
  | { t: 'worker-metrics'; observations: Observation[] }
  | { t: 'job-held'; runId: string; lease: string }
  | { t: 'job-released'; runId: string };

export interface WorkerPoolDeps {
  /** The worker entry (worker-main.ts under tsx, dist/worker-main.js bundled). */
  entry: string;
  /** Environment of every worker (the service's own, plus what it adds). */
  env: NodeJS.ProcessEnv;
  /** Wires a new child to the service (IPC services of the embedded path, queue attachment). */
  attach: (child: ChildProcess, agentId: string | undefined) => void;
  /** A dedicated worker of `agentId` began (+1) or stopped (-1) taking runs. */
  onDedicated?: (agentId: string, change: 1 | -1) => void;
  /** A dedicated worker of `agentId` exited. */
  onDedicatedGone?: (agentId: string) => void;
  logger: Logger;
  observe: (observation: Observation) => void;
  /** A worker (a dedicated one: of `agentId`) exited holding these jobs (JobQueue.release). */
  onLost?: (leases: JobLease[], agentId: string | undefined) => void;
  /** Nice value given to each worker process (lower priority than the API's). */
  nice?: number;
  /** Delay before a dead pooled worker is replaced; default 200 ms (a crash loop stays slow). */
  respawnDelayMs?: number;
}

interface Entry {
  child: ChildProcess;
  info: WorkerInfo;
  /** Jobs it holds: run id → lease. */
  held: Map<string, string>;
  options: SpawnOptions;
  exited: Promise<void>;
}

/** The worker processes of this service instance: spawn, list, drain, replace, stop. */
export function createWorkerPool(deps: WorkerPoolDeps) {
  const workers = new Map<number, Entry>();
  let stopping = false;

  const lowerPriority = (pid: number) => {
    if (!deps.nice) {
      return;
    }
    try {
      setPriority(pid, deps.nice);
    } catch (err) {
      deps.logger.warn({ err, pid, nice: deps.nice }, "could not lower the worker's priority");
    }
  };

  const spawn = (options: SpawnOptions): Promise<number> => {
    // The API's old-space floor (package.json start) is not a worker's: with it, V8 ignores a
    // smaller --max-old-space-size (an agent's resources.ram).
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--initial-old-space-size'));
    if (options.maxHeapMb !== undefined) {
      execArgv.push(`--max-old-space-size=${Math.max(16, Math.floor(options.maxHeapMb))}`);
    }
    const child = fork(deps.entry, [], {
      execArgv,
      env: {
        ...deps.env,
        AM_WORKER_TYPE: options.type,
        AM_WORKER_CONCURRENCY: String(options.concurrency),
        ...(options.agentId ? { AM_WORKER_AGENT_ID: options.agentId } : {}),
      },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        const pid = child.pid;
        if (pid === undefined) {
          reject(new Error('the worker process has no pid'));
          return;
        }
        const info: WorkerInfo = {
          pid,
          type: options.type,
          status: 'starting',
          concurrency: options.concurrency,
          jobs_in_flight: 0,
          agent_id: options.agentId ?? null,
          max_heap_mb: options.maxHeapMb === undefined ? null : Math.floor(options.maxHeapMb),
          started_at: new Date().toISOString(),
          last_heartbeat_at: null,
        };
        lowerPriority(pid);
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        workers.set(pid, { child, info, held: new Map(), options, exited });
        child.on('message', (message: WorkerReport) => onReport(pid, message));
        child.once('exit', (code, signal) => onExit(pid, code, signal));
        deps.attach(child, options.agentId);
        if (options.agentId !== undefined) {
          deps.onDedicated?.(options.agentId, 1);
        }
        resolve(pid);
      });
    });
  };

  const onReport = (pid: number, message: WorkerReport) => {
    const entry = workers.get(pid);
    if (!entry) {
      return;
    }
    const { info } = entry;
    if (message?.t === 'job-held') {
      entry.held.set(message.runId, message.lease);
    } else if (message?.t === 'job-released') {
      entry.held.delete(message.runId);
    } else if (message?.t === 'worker-ready') {
      info.status = info.status === 'draining' ? 'draining' : 'running';
      info.last_heartbeat_at = new Date().toISOString();
    } else if (message?.t === 'worker-status') {
      info.jobs_in_flight = message.inFlight;
      info.last_heartbeat_at = new Date().toISOString();
    } else if (message?.t === 'worker-metrics') {
      for (const observation of message.observations) {
        deps.observe(observation);
      }
    }
  };

  const onExit = (pid: number, code: number | null, signal: NodeJS.Signals | null) => {
    const entry = workers.get(pid);
    workers.delete(pid);
    if (!entry) {
      return;
    }
    const drained = entry.info.status === 'draining';
    if (entry.options.agentId !== undefined && !drained) {
      deps.onDedicated?.(entry.options.agentId, -1);
    }
    deps.logger.info({ pid, code, signal, drained, held: entry.held.size }, 'worker exited');
    if (entry.options.agentId !== undefined) {
      deps.onDedicatedGone?.(entry.options.agentId);
    }
    if (entry.held.size > 0) {
      deps.onLost?.(
        [...entry.held].map(([runId, lease]) => ({ runId, lease })),
        entry.options.agentId,
      );
    }
    if (entry.options.pooled && !drained && !stopping) {
      setTimeout(() => {
        if (!stopping) {
          spawn(entry.options).catch((err: unknown) =>
            deps.logger.error({ err }, 'worker respawn failed'),
          );
        }
      }, deps.respawnDelayMs ?? 200).unref();
    }
  };

  return {
    spawn,
    list: (): WorkerInfo[] => [...workers.values()].map((entry) => ({ ...entry.info })),
    /** Asks the worker to finish its jobs and exit; false when there is no such worker. */
    drain(pid: number): boolean {
      const entry = workers.get(pid);
      if (!entry) {
        return false;
      }
      if (entry.options.agentId !== undefined && entry.info.status !== 'draining') {
        deps.onDedicated?.(entry.options.agentId, -1);
      }
      entry.info.status = 'draining';
      if (entry.child.connected) {
        entry.child.send({ t: 'worker-drain' });
      }
      return true;
    },
    /** Every connected worker (a cancel broadcast on the embedded path). */
    children(): ChildProcess[] {
      return [...workers.values()].map((entry) => entry.child).filter((child) => child.connected);
    },
    /** SIGTERM to every worker (they hand their runs back), SIGKILL after `graceMs`. */
    async stopAll(graceMs: number): Promise<void> {
      stopping = true;
      const entries = [...workers.values()];
      for (const { child } of entries) {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => {
        for (const { child } of entries) {
          child.kill('SIGKILL');
        }
      }, graceMs);
      await Promise.all(entries.map((entry) => entry.exited));
      clearTimeout(timer);
    },
  };
}
export type WorkerPool = ReturnType<typeof createWorkerPool>;
