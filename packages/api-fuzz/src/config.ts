/** The fuzz suite's knobs, all from the environment so a failing run can be replayed as is. */
export interface FuzzConfig {
  /** FUZZ_SEED: the run's seed; every (target, operation, category) derives its own from it. */
  seed: number;
  /** FUZZ_RUNS: cases per operation and category (default 6). */
  runs: number;
  /**
   * FUZZ_BUDGET_MS: sending time per target (default 20 s). Cases go round-robin over every
   * operation and category, so when the budget runs out each pair has had the same number of
   * cases, and always at least one.
   */
  budgetMs: number;
  /** FUZZ_REQUEST_TIMEOUT_MS: no answer within this is a hang (default 10 s). */
  requestTimeoutMs: number;
  /**
   * FUZZ_ONLY: comma-separated `operationId` or `operationId:categoryPrefix` (e.g.
   * `putProductPolicy:body.empty`, `*:path.`); unset runs everything.
   */
  only: readonly { operation: string; category: string }[] | undefined;
}

/** The default seed: fixed, so `pnpm test` sends the same requests every time. */
export const DEFAULT_SEED = 20261203;

function intEnv(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`${name} must be an integer, got ${value}`);
  }
  return n;
}

function parseOnly(value: string | undefined): FuzzConfig['only'] {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  return value.split(',').map((item) => {
    const [operation = '*', category = ''] = item.trim().split(':');
    return { operation, category };
  });
}

export function loadFuzzConfig(env: NodeJS.ProcessEnv = process.env): FuzzConfig {
  const seed =
    env.FUZZ_SEED === 'random'
      ? Date.now() % 2 ** 31
      : intEnv(env.FUZZ_SEED, DEFAULT_SEED, 'FUZZ_SEED');
  return {
    seed,
    runs: Math.max(1, intEnv(env.FUZZ_RUNS, 6, 'FUZZ_RUNS')),
    budgetMs: intEnv(env.FUZZ_BUDGET_MS, 20_000, 'FUZZ_BUDGET_MS'),
    requestTimeoutMs: intEnv(env.FUZZ_REQUEST_TIMEOUT_MS, 10_000, 'FUZZ_REQUEST_TIMEOUT_MS'),
    only: parseOnly(env.FUZZ_ONLY),
  };
}

/** Whether FUZZ_ONLY lets `operation`'s `category` run. */
export function selected(config: FuzzConfig, operation: string, category: string): boolean {
  if (config.only === undefined) {
    return true;
  }
  return config.only.some(
    (o) => (o.operation === '*' || o.operation === operation) && category.startsWith(o.category),
  );
}
