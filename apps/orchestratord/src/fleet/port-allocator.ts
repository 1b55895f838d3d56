import { ApiError } from '@agentplane/http-kit';

export interface PortAllocatorOptions {
  min: number;
  max: number;
  /** Ports already held by rows of this pool. */
  inUse: () => Promise<Set<number>>;
  /** Whether the host port can be bound now (something outside our fleet may hold it). */
  isFree: (port: number) => Promise<boolean>;
}

/**
 * Picks candidate ports for a new engine: free in the database and bindable on the host. The
 * database's unique (pool, host_port) constraint is what settles a race between two picks; the
 * caller retries with the next candidate on a conflict. Starts at a random offset so concurrent
 * provisions rarely collide in the first place.
 */
export async function* candidatePorts(opts: PortAllocatorOptions): AsyncGenerator<number> {
  const used = await opts.inUse();
  const size = opts.max - opts.min + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = opts.min + ((start + i) % size);
    if (!used.has(port) && (await opts.isFree(port))) {
      yield port;
    }
  }
  throw portExhausted(opts);
}

function portExhausted(opts: { min: number; max: number }): ApiError {
  return new ApiError({
    code: 'PORT_EXHAUSTION',
    message: `No free port in [${opts.min}, ${opts.max}] (ORCH_PORT_MIN, ORCH_PORT_MAX)`,
  });
}
