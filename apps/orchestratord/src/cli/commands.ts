import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Client,
  type EngineInfo,
  ErrorEnvelope,
  type OrchestratordRoutes,
  type ProductPolicy,
} from '@agentplane/contracts';
import { auditLine, engineTable, fleetSummary, renderFields } from './format.js';

// One function per command: a typed client in, text (or JSON) out through `out.write`, an
// API error out as a thrown CommandError. main.ts turns that into stderr and an exit code.

export type OrchClient = Client<OrchestratordRoutes>;

export interface Output {
  write: (s: string) => void;
  /** Machine-readable output (one JSON document, or NDJSON for the audit log). */
  json: boolean;
}

/** The error envelope's code and message (or a transport failure, code TRANSPORT). */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly code: string,
    message: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }
}

function expectStatus<R extends { status: number; body: unknown }, S extends R['status']>(
  res: R,
  ok: S,
): Extract<R, { status: S }>['body'] {
  if (res.status === ok) {
    return res.body as Extract<R, { status: S }>['body'];
  }
  const envelope = ErrorEnvelope.safeParse(res.body);
  if (envelope.success) {
    const { code, message, correlation_id } = envelope.data.error;
    throw new CommandError(code, message, correlation_id);
  }
  throw new CommandError('UNEXPECTED_STATUS', `HTTP ${res.status}`);
}

const line = (out: Output, s: string) => out.write(`${s}\n`);
const json = (out: Output, value: unknown) => line(out, JSON.stringify(value, null, 2));

function policyOf(opts: PolicyOptions): ProductPolicy {
  return {
    ...(opts.maxEngines === undefined ? {} : { max_engines: opts.maxEngines }),
    ...(opts.rateLimitRpm === undefined ? {} : { rate_limit_rpm: opts.rateLimitRpm }),
    ...(opts.autoProvision ? { auto_provision: true } : {}),
  };
}

export interface PolicyOptions {
  maxEngines?: number | undefined;
  rateLimitRpm?: number | undefined;
  autoProvision?: boolean | undefined;
}

/** Admin key. The platform key is printed here and nowhere else: the server keeps only a hash. */
export async function registerProduct(
  client: OrchClient,
  out: Output,
  opts: { slug: string; name: string } & PolicyOptions,
): Promise<void> {
  const product = expectStatus(
    await client.registerProduct({
      body: { slug: opts.slug, display_name: opts.name, policy: policyOf(opts) },
    }),
    201,
  );
  printProduct(out, product, [['platform_key', product.platform_key]]);
  if (!out.json) {
    line(out, 'The platform key is shown only this once: store it now (ORCH_PLATFORM_KEY).');
  }
}

/** A product as JSON, or as fields (`extra` after the common ones). */
function printProduct(
  out: Output,
  product: { product_id: string; slug: string; policy: object },
  extra: [string, string][] = [],
): void {
  if (out.json) {
    json(out, product);
    return;
  }
  line(
    out,
    renderFields([
      ['product_id', product.product_id],
      ['slug', product.slug],
      ['policy', JSON.stringify(product.policy)],
      ...extra,
    ]),
  );
}

/** Admin key. Replaces the whole policy: a limit left out is removed. */
export async function setPolicy(
  client: OrchClient,
  out: Output,
  opts: { productId: string } & PolicyOptions,
): Promise<void> {
  const product = expectStatus(
    await client.putProductPolicy({ params: { product_id: opts.productId }, body: policyOf(opts) }),
    200,
  );
  printProduct(out, product);
}

export async function listEngines(
  client: OrchClient,
  out: Output,
  opts: { status?: EngineInfo['status'] | undefined; all?: boolean | undefined; limit?: number },
): Promise<void> {
  const engines: EngineInfo[] = [];
  let cursor: string | undefined;
  let more = false;
  for (;;) {
    const page = expectStatus(
      await client.listEngines({
        query: {
          limit: opts.limit ?? (opts.all ? 500 : 50),
          ...(opts.status === undefined ? {} : { status: opts.status }),
          ...(cursor === undefined ? {} : { cursor }),
        },
      }),
      200,
    );
    engines.push(...page.engines);
    if (page.next_cursor === null) {
      break;
    }
    if (!opts.all) {
      more = true;
      break;
    }
    cursor = page.next_cursor;
  }
  if (out.json) {
    json(out, engines);
    return;
  }
  line(out, engines.length === 0 ? 'no engines' : engineTable(engines));
  if (more) {
    line(out, '(more engines: pass --all)');
  }
}

/** The engine key stays hidden unless `showKey`. */
export async function showEngine(
  client: OrchClient,
  out: Output,
  opts: { userId: string; showKey?: boolean | undefined },
): Promise<void> {
  const { engine_key, ...engine } = expectStatus(
    await client.getEngine({ params: { user_id: opts.userId } }),
    200,
  );
  if (out.json) {
    json(out, opts.showKey ? { ...engine, engine_key } : engine);
    return;
  }
  line(
    out,
    renderFields([
      ['user_id', engine.user_id],
      ['engine_id', engine.engine_id],
      ['status', engine.status],
      ['url', engine.url],
      ['engine_version', engine.engine_version],
      ['pool', engine.pool],
      ['created_at', engine.created_at],
      ['updated_at', engine.updated_at],
      ['last_health_at', engine.last_health_at],
      ['last_admit_at', engine.last_admit_at],
      ['boot_ms', engine.boot_ms === null ? null : Math.round(engine.boot_ms)],
      ['restarts', engine.restart_count],
      ['engine_key', opts.showKey ? engine_key : '(hidden; pass --show-key)'],
    ]),
  );
}

const AUDIT_PAGE = 1000;

/**
 * Prints entries with id > `after`, page by page. With `follow`, keeps polling every `pollMs`
 * from the last id until `signal` aborts (which is a normal end, not an error).
 */
export async function tailAudit(
  client: OrchClient,
  out: Output,
  opts: {
    userId?: string | undefined;
    after?: number | undefined;
    follow?: boolean | undefined;
    signal?: AbortSignal | undefined;
    pollMs?: number;
  },
): Promise<void> {
  const { signal } = opts;
  let after = opts.after ?? 0;
  while (!signal?.aborted) {
    let res: Awaited<ReturnType<OrchClient['listAudit']>>;
    try {
      res = await client.listAudit(
        {
          query: {
            after,
            limit: AUDIT_PAGE,
            ...(opts.userId === undefined ? {} : { user_id: opts.userId }),
          },
        },
        signal === undefined ? {} : { signal },
      );
    } catch (error) {
      if (signal?.aborted) {
        return;
      }
      throw error;
    }
    const page = expectStatus(res, 200);
    for (const entry of page.entries) {
      line(out, out.json ? JSON.stringify(entry) : auditLine(entry));
    }
    after = page.last_id;
    if (page.entries.length === AUDIT_PAGE) {
      continue;
    }
    if (!opts.follow) {
      return;
    }
    try {
      await sleep(opts.pollMs ?? 1000, undefined, signal === undefined ? {} : { signal });
    } catch {
      return;
    }
  }
}

export async function fleetStatus(client: OrchClient, out: Output): Promise<void> {
  const status = expectStatus(await client.getFleetStatus(), 200);
  if (out.json) {
    json(out, status);
    return;
  }
  line(out, fleetSummary(status));
}
