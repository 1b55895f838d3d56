/**
 * What runs an engine: a container through the Docker API, or a child process. The lifecycle
 * service owns state (Postgres); a driver only acts on the host and reports what it sees, so
 * every method is idempotent and safe to repeat after a crash.
 */
export interface EngineSpec {
  engineId: string;
  productId: string;
  userId: string;
  /** Image reference (docker: pinned `…@sha256:…`); the process driver ignores it. */
  image: string;
  /** Host port on 127.0.0.1 the engine's port 8000 is published at (process: the engine's PORT). */
  hostPort: number;
  /** SHA-256 hex of the current engine key: the only key material an engine ever gets. */
  keyHash: string;
  /** Passed-through variables (ORCH_ENGINE_ENV_PASSTHROUGH), added to the contract's env. */
  env: Readonly<Record<string, string>>;
}

/** An engine the driver found on its host (containers carrying our labels, or live pid files). */
export interface ObservedEngine {
  engineId: string;
  productId: string;
  userId: string;
  running: boolean;
  hostPort: number | undefined;
}

/** A change the host reports without being asked (a container died, a process exited). */
export interface DriverEvent {
  engineId: string;
  kind: 'died' | 'started';
  /** Exit code when known. */
  exitCode?: number;
}

export type DriverListener = (event: DriverEvent) => void;

/** Hands `event` to every listener; one that throws is logged and the others still get it. */
export function emitToAll(
  listeners: Iterable<DriverListener>,
  event: DriverEvent,
  logger: { error(obj: object, msg: string): void },
): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (err) {
      logger.error({ err }, 'driver event listener failed');
    }
  }
}

export interface EngineDriver {
  readonly kind: 'docker' | 'process';
  /** Create and start a fresh engine (container or process) with its data volume/dir. */
  create(spec: EngineSpec): Promise<void>;
  /** Start an existing stopped engine again, keeping its data (re-creates if the container is gone). */
  start(spec: EngineSpec): Promise<void>;
  /** SIGTERM, wait up to graceS, then SIGKILL. No error when already stopped or absent. */
  stop(engineId: string, graceS: number): Promise<void>;
  /** Remove the container/process; with keepData the volume/data dir stays (a wake fallback). */
  remove(engineId: string, options: { keepData: boolean }): Promise<void>;
  /** Every engine of ours on this host. */
  list(): Promise<ObservedEngine[]>;
  /** engine ids whose data (volume or dir) exists on this host, with or without an engine. */
  listData(): Promise<string[]>;
  /** Follow host events; returns an unsubscribe function. */
  subscribe(listener: (event: DriverEvent) => void): () => void;
  /**
   * The `sha256:…` digests image `ref` has on this host (docker: its ID, then its manifest
   * digests; process: the digest of the engine entry file, whatever `ref`: the command is its
   * only image), or undefined when the host has no such image. The catalog checks entries by it.
   */
  imageDigests(ref: string): Promise<string[] | undefined>;
  /** Where a client reaches the engine. */
  urlFor(hostPort: number): string;
  close(): Promise<void>;
}

/**
 * Why a driver call failed, kept up to the caller: `image_not_found` (the image, or the process
 * driver's engine entry, does not exist: retrying cannot help) or `driver` (the container
 * engine or the spawn refused; `message` is the driver's own words). The lifecycle turns these
 * into IMAGE_NOT_FOUND / DRIVER_ERROR and writes them into the audit row.
 */
export class DriverError extends Error {
  readonly kind: 'image_not_found' | 'driver';
  constructor(kind: 'image_not_found' | 'driver', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DriverError';
    this.kind = kind;
  }
}
