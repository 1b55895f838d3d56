import { statSync } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import type { ProcessorEnvelope, ProcessorRunRequestBody } from '@agentplane/contracts';
import type Docker from 'dockerode';
import type { AdapterLogger, ProcessorAdapter } from './adapter.js';
import { silentLogger } from './adapter.js';
import { adapterError, settleOutcome } from './adapter-envelope.js';
import { containerEnv } from './container-env.js';
import { defaultContainerUser, IMAGE_USER, prepareHostDir } from './host-dir.js';
import { createHttpPool, httpCall } from './http-call.js';
import { resolveImageDigest } from './image-digest.js';
import {
  type InputMount,
  type RunningContainer,
  type StartTimings,
  startContainer,
} from './processor-container.js';
import type { ProcessorTarget } from './target.js';
import { waitHealthy } from './wait-healthy.js';
import {
  CONTAINER_ARTIFACTS_ROOT,
  mountForWritePrefix,
  toHostPaths,
} from './write-prefix-mount.js';

export interface LocalAdapterOptions {
  docker: Docker;
  target: ProcessorTarget;
  /** Runs this image instead of registry.yaml's (e.g. a dev tag); the drift check still uses registry.yaml. */
  image?: string;
  /** Extra container environment. */
  env?: Record<string, string>;
  /** Where CI and the registry's secrets are read from; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Bound on container start → healthy; default 15 s. */
  healthTimeoutMs?: number;
  /** Bound on POST /run; default the registry's runtime.timeout_s plus 5 s (the processor ends itself at timeout_s). */
  runTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace on stop; default 5 s. */
  stopTimeoutS?: number;
  /**
   * The container's `uid:gid`. Default: the caller's ids when not root (artifacts belong to the
   * caller); as root, the image's USER (1000), and directories the adapter creates go to 1000:1000.
   */
  user?: string;
  /**
   * Default: the engine's bridge with port 8000 published on 127.0.0.1. A network name attaches
   * there instead (still published). `host`: no network namespace and no publishing, the processor
   * listens on a free loopback port; starts faster (limits.md §3) but the container shares the
   * host's network, loopback services included, so only for trusted processors.
   */
  networkMode?: string;
  /** Apply runtime.cpu and runtime.memory_gb as container limits; default true. */
  applyRuntimeLimits?: boolean;
  /**
   * Host directories mounted read-only, e.g. doc/extract's inputs (with `env`
   * `DOC_EXTRACT_INPUT_DIR` naming `containerDir`). Both paths absolute; the host directory must
   * exist; the container path may not be `/`, `/app` or under the artifacts mount (`/artifacts`).
   */
  mounts?: readonly InputMount[];
  logger?: AdapterLogger;
}

/** Refuses mounts that could hide the app or the artifacts, or that name no host directory. */
function checkMounts(mounts: readonly InputMount[]): InputMount[] {
  return mounts.map(({ hostDir, containerDir }) => {
    const container = posix.normalize(containerDir).replace(/\/+$/, '');
    const reserved = ['', '/app', CONTAINER_ARTIFACTS_ROOT];
    if (!isAbsolute(hostDir) || !posix.isAbsolute(containerDir)) {
      throw new Error(`mount ${hostDir}:${containerDir}: both paths must be absolute`);
    }
    if (reserved.includes(container) || container.startsWith(`${CONTAINER_ARTIFACTS_ROOT}/`)) {
      throw new Error(`mount ${hostDir}:${containerDir}: ${containerDir} is reserved`);
    }
    if (!statSync(hostDir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`mount ${hostDir}:${containerDir}: ${hostDir} is not a directory`);
    }
    return { hostDir, containerDir: container };
  });
}

/** Milliseconds of one cold run, reported to the logger (and read by the bench). */
export interface ColdRunTimings extends StartTimings {
  healthy_ms: number;
  run_ms: number;
  total_ms: number;
}

/**
 * A LocalAdapter: each run starts the processor's image through the Docker API (Podman's
 * compatible socket works), waits for /healthz, POSTs /run, then stops and removes the container
 * in the background (`close()` waits for that).
 */
export function createLocalAdapter(options: LocalAdapterOptions): ProcessorAdapter {
  const { docker, target } = options;
  const logger = options.logger ?? silentLogger;
  const pool = createHttpPool();
  const pending = new Set<Promise<void>>();
  const healthTimeoutMs = options.healthTimeoutMs ?? 15_000;
  const runTimeoutMs = options.runTimeoutMs ?? target.runtime.timeout_s * 1000 + 5_000;
  const stopTimeoutS = options.stopTimeoutS ?? 5;
  const user = options.user ?? defaultContainerUser();
  const limits = options.applyRuntimeLimits ?? true;
  const mounts = checkMounts(options.mounts ?? []);

  function release(container: RunningContainer, executionId: string): void {
    const done = container
      .remove()
      .catch((error: unknown) =>
        logger.warn(
          {
            ref: target.ref,
            execution_id: executionId,
            container: container.id,
            err: String(error),
          },
          'processor.container.remove_failed',
        ),
      )
      .finally(() => pending.delete(done));
    pending.add(done);
  }

  async function run(
    request: ProcessorRunRequestBody,
    runOptions: { signal?: AbortSignal } = {},
  ): Promise<ProcessorEnvelope> {
    const started = performance.now();
    const executionId = request.execution_id;
    const image = options.image ?? target.image;
    if (image === undefined) {
      return adapterError(
        target,
        executionId,
        'ERR_ADAPTER_UNREACHABLE',
        `registry.yaml of ${target.ref} records no image: run scripts/build-processor-image.sh`,
      );
    }
    const mounted = mountForWritePrefix(request.write_prefix, executionId);
    if (!mounted.ok) {
      return adapterError(target, executionId, 'ERR_WRITE_PREFIX', {
        path: '/write_prefix',
        message: mounted.reason,
      });
    }
    const { mount } = mounted;
    let imageDigest: string;
    let container: RunningContainer;
    try {
      await prepareHostDir(mount.hostDir, user ?? IMAGE_USER);
      imageDigest = await resolveImageDigest(docker, image);
      container = await startContainer(docker, {
        image,
        env: containerEnv({
          target,
          mode: request.mode,
          imageDigest,
          hostEnv: options.hostEnv ?? process.env,
          extra: options.env,
        }),
        bind: { hostDir: mount.hostDir, containerDir: mount.containerDir },
        readOnly: mounts,
        labels: {
          'agentplane.processor.ref': target.ref,
          'agentplane.processor.execution_id': executionId,
        },
        user,
        nanoCpus: limits ? Math.round(Number(target.runtime.cpu) * 1e9) : undefined,
        memoryBytes: limits ? Math.round(target.runtime.memory_gb * 1024 ** 3) : undefined,
        networkMode: options.networkMode,
        stopTimeoutS,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(
        { ref: target.ref, execution_id: executionId, image, err: message },
        'processor.container.start_failed',
      );
      return adapterError(
        target,
        executionId,
        'ERR_ADAPTER_UNREACHABLE',
        `starting ${image}: ${message}`,
      );
    }
    try {
      const health = await waitHealthy(pool, container.base, {
        timeoutMs: healthTimeoutMs,
        gone: container.exitReason,
        signal: runOptions.signal,
      });
      const healthyAt = performance.now();
      if (!health.ok) {
        logger.warn(
          {
            ref: target.ref,
            execution_id: executionId,
            reason: health.reason,
            logs: await container.logTail(20),
          },
          'processor.container.unhealthy',
        );
        return adapterError(
          target,
          executionId,
          'ERR_ADAPTER_UNREACHABLE',
          health.reason,
          imageDigest,
        );
      }
      const outcome = await httpCall(pool, new URL('run', container.base), {
        method: 'POST',
        body: JSON.stringify({ ...request, write_prefix: mount.containerPrefix }),
        timeoutMs: runTimeoutMs,
        signal: runOptions.signal,
      });
      const envelope = toHostPaths(
        settleOutcome(target, executionId, outcome, runTimeoutMs, imageDigest),
        mount.toHost,
      );
      const finished = performance.now();
      const timings: ColdRunTimings = {
        ...container.timings,
        healthy_ms: healthyAt - started,
        run_ms: finished - healthyAt,
        total_ms: finished - started,
      };
      logger.info(
        {
          ref: target.ref,
          execution_id: executionId,
          status: envelope.status,
          ...(envelope.status === 'error' ? { code: envelope.error.code } : {}),
          ...timings,
        },
        'processor.run.settle',
      );
      return envelope;
    } finally {
      release(container, executionId);
    }
  }

  return {
    kind: 'local',
    target,
    run,
    async close() {
      while (pending.size > 0) {
        await Promise.allSettled([...pending]);
      }
      pool.destroy();
    },
  };
}
