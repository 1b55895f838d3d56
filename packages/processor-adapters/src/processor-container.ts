import { once } from 'node:events';
import { createServer } from 'node:net';
import type Docker from 'dockerode';

/** The port every processor listens on inside its container (seed §1). */
export const PROCESSOR_PORT = 8000;

/** A host directory a processor reads (never writes) at `containerDir`. */
export interface InputMount {
  hostDir: string;
  containerDir: string;
}

export interface ContainerSpec {
  image: string;
  env: string[];
  /** The artifacts bind mount: host directory → container directory, read-write. */
  bind: { hostDir: string; containerDir: string };
  /** More host directories, mounted read-only (inputs a processor reads by path). */
  readOnly: readonly InputMount[];
  labels: Record<string, string>;
  /** `uid:gid`; undefined keeps the image's USER. */
  user: string | undefined;
  nanoCpus: number | undefined;
  memoryBytes: number | undefined;
  /**
   * Undefined is the engine's default bridge, or a network's name: port 8000 is published on
   * 127.0.0.1 at a port the engine picks. `host` skips the network namespace and the port
   * publishing (a faster start, limits.md §3) and has the processor listen on 127.0.0.1 at a free
   * port instead; the container then shares the host's network, loopback services included.
   */
  networkMode: string | undefined;
  /** Seconds between SIGTERM and SIGKILL on stop. Always explicit: Podman's default is 0. */
  stopTimeoutS: number;
}

/** Milliseconds spent in each step of a start, for logs and the cold-start bench. */
export interface StartTimings {
  create_ms: number;
  start_ms: number;
  port_ms: number;
}

export interface RunningContainer {
  id: string;
  /** `http://127.0.0.1:<published port>/` */
  base: URL;
  timings: StartTimings;
  /** The last lines the processor wrote (stdout and stderr), for diagnosing a failed start. */
  logTail(lines: number): Promise<string>;
  /** Why the container is no longer running (e.g. `exited with code 1`); undefined while it runs. */
  exitReason(): Promise<string | undefined>;
  /** Stops it (SIGTERM, SIGKILL after stopTimeoutS) and removes it. Never throws for a container already gone. */
  remove(): Promise<void>;
}

function statusCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error
    ? Number((error as { statusCode: unknown }).statusCode)
    : undefined;
}

/** The text of a non-TTY log stream: frames of an 8-byte header (stream, 0, 0, 0, size) + payload. */
function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(at + 4);
    parts.push(buffer.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

async function stopAndRemove(container: Docker.Container, stopTimeoutS: number): Promise<void> {
  try {
    await container.stop({ t: stopTimeoutS });
  } catch (error) {
    // 304: already stopped; 404: already gone.
    if (statusCode(error) !== 304 && statusCode(error) !== 404) {
      throw error;
    }
  }
  try {
    await container.remove({ v: true, force: true });
  } catch (error) {
    if (statusCode(error) !== 404) {
      throw error;
    }
  }
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Port publishing, or with host networking the port the processor is told to listen on. */
async function networking(spec: ContainerSpec) {
  const published = `${PROCESSOR_PORT}/tcp`;
  if (spec.networkMode === 'host') {
    const port = await freeLoopbackPort();
    return {
      port,
      env: [`PORT=${port}`, 'HOST=127.0.0.1'],
      config: {},
      hostConfig: { NetworkMode: 'host' },
    };
  }
  return {
    port: undefined,
    env: [],
    config: { ExposedPorts: { [published]: {} } },
    hostConfig: {
      PortBindings: { [published]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      ...(spec.networkMode ? { NetworkMode: spec.networkMode } : {}),
    },
  };
}

/**
 * Creates and starts one processor container with port 8000 published on 127.0.0.1 at a port the
 * engine picks (read back after start), or on the host network at a free port. Whatever fails
 * after create removes the container.
 */
export async function startContainer(
  docker: Docker,
  spec: ContainerSpec,
): Promise<RunningContainer> {
  const t0 = performance.now();
  const net = await networking(spec);
  const container = await docker.createContainer({
    Image: spec.image,
    Env: [...spec.env, ...net.env],
    Labels: spec.labels,
    ...(spec.user ? { User: spec.user } : {}),
    ...net.config,
    StopTimeout: spec.stopTimeoutS,
    HostConfig: {
      ...net.hostConfig,
      Binds: [
        `${spec.bind.hostDir}:${spec.bind.containerDir}:rw`,
        ...spec.readOnly.map((m) => `${m.hostDir}:${m.containerDir}:ro`),
      ],
      ...(spec.nanoCpus ? { NanoCpus: spec.nanoCpus } : {}),
      ...(spec.memoryBytes ? { Memory: spec.memoryBytes } : {}),
    },
  });
  const t1 = performance.now();
  try {
    await container.start();
    const t2 = performance.now();
    const port =
      net.port ??
      Number(
        (await container.inspect()).NetworkSettings.Ports[`${PROCESSOR_PORT}/tcp`]?.[0]?.HostPort,
      );
    if (!Number.isInteger(port) || port <= 0) {
      throw new Error(`container ${container.id} has no published port ${PROCESSOR_PORT}`);
    }
    const t3 = performance.now();
    return {
      id: container.id,
      base: new URL(`http://127.0.0.1:${port}/`),
      timings: { create_ms: t1 - t0, start_ms: t2 - t1, port_ms: t3 - t2 },
      async logTail(lines) {
        try {
          const logs = await container.logs({
            stdout: true,
            stderr: true,
            tail: lines,
            follow: false,
          });
          return demuxLogs(logs);
        } catch (error) {
          return `(no logs: ${String(error)})`;
        }
      },
      async exitReason() {
        try {
          const state = (await container.inspect()).State;
          return state.Running
            ? undefined
            : `container ${state.Status}, exit code ${state.ExitCode}`;
        } catch (error) {
          return `container gone (${statusCode(error) ?? String(error)})`;
        }
      },
      remove: () => stopAndRemove(container, spec.stopTimeoutS),
    };
  } catch (error) {
    await container.remove({ v: true, force: true }).catch(() => undefined);
    throw error;
  }
}
