import { dockerOptionsFromHost } from '@agentplane/backends/docker-host';
import { buildEngineBundle, buildEngineImage } from '@agentplane/orchestratord/driver-test-support';
import Docker from 'dockerode';
import { startFlags } from '../harness.js';

// What the orchestratord benches share: run counts, the engine artefacts (built once per
// `pnpm bench`), the container host and the platform key's headers.

export const RUNS = Number(process.env.BENCH_ORCH_RUNS ?? 10);
// The orchestrator's own probe starts at 5 ms; a 2 ms poll steals CPU from a booting engine on 2 cores.
export const FLOOR_POLL_MS = 5;

/**
 * Podman provision and wake targets, as a ratio to the same run's floor (the raw create+start, or
 * start, of the same image → first 200): the orchestrator may add at most 5% over the container
 * runtime, whatever the machine's absolute speed (issue 14).
 */
export const MAX_OVERHEAD = 0.05;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let engineImage: Promise<string> | undefined;
/** The engine image, digest-pinned, as the docker driver runs it. */
export const image = () => {
  engineImage ??= buildEngineImage();
  return engineImage;
};
let engineBundle: Promise<string> | undefined;
/** The engine bundle, as the process driver runs it. */
export const bundle = () => {
  engineBundle ??= buildEngineBundle();
  return engineBundle;
};

/** The process driver's engine command: the bundle with its `start` script's node flags. */
export async function engineCommand(): Promise<string[]> {
  return [process.execPath, ...startFlags('engine'), await bundle()];
}

/** A client of DOCKER_HOST (Podman here), or why the docker half of a bench is skipped. */
export async function dockerOrSkip(): Promise<Docker | string> {
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

export const platformHeaders = (key: string) => ({
  'content-type': 'application/json',
  'x-platform-key': key,
});

/** fetch → parsed JSON body; a non-2xx answer throws with the body. */
export async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json()) as T;
  if (!res.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  }
  return body;
}
