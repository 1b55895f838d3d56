import type { AdmitResponse, EngineStatus } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import type { EngineRepo, EngineRow } from '../fleet/engine-repo.js';
import type { EngineView } from '../fleet/engine-view.js';
import type { Lifecycle } from '../fleet/lifecycle.js';
import type { ProductRow } from '../fleet/product-repo.js';
import type { LastAdmitRecorder } from './last-admit.js';
import type { RateLimiter } from './rate-limiter.js';

export interface AdmitDeps {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  view: EngineView;
  limiter: RateLimiter;
  lastAdmit: LastAdmitRecorder;
  /** Waits until a provisioning engine settles (another request is creating it). */
  waitSettled: (engineId: string) => Promise<void>;
}

const RATE_WINDOW_MS = 60_000;

/**
 * rate limit → lookup → auto-provision → auto-wake → url + key, or a reasoned denial.
 * `prefetched` is the user's engine as read with the product (the auth query), which stands in
 * for the first lookup.
 */
export async function admit(
  deps: AdmitDeps,
  product: ProductRow,
  userId: string,
  autoWake: boolean,
  prefetched?: { engine: EngineRow | undefined },
): Promise<AdmitResponse> {
  const rpm = product.policy.rate_limit_rpm;
  if (rpm !== undefined) {
    const decision = await deps.limiter.take(`admit:${product.id}`, rpm, RATE_WINDOW_MS);
    if (!decision.ok) {
      throw new ApiError({
        code: 'RATE_LIMITED',
        message: `Rate limit exceeded (${rpm}/min). Retry in ${decision.retryAfterS} s`,
        headers: { 'retry-after': String(decision.retryAfterS) },
      });
    }
  }
  let row =
    prefetched !== undefined ? prefetched.engine : await deps.repo.byUser(product.id, userId);
  let provisioned = false;
  let woke = false;
  if (row?.status === 'provisioning') {
    await deps.waitSettled(row.id);
    row = await deps.repo.byUser(product.id, userId);
  }
  if (row === undefined || row.status === 'destroying') {
    if (product.policy.auto_provision !== true) {
      return deny('engine_not_found', null, 'No engine for this user; provision one');
    }
    try {
      await deps.lifecycle.provision(product, { user_id: userId }, 'admit');
      provisioned = true;
    } catch (error) {
      // Two admits raced to provision: the loser serves the winner's engine.
      if (!(error instanceof ApiError && error.code === 'CONFLICT')) {
        throw error;
      }
    }
    row = await deps.repo.byUser(product.id, userId);
    if (row?.status === 'provisioning') {
      await deps.waitSettled(row.id);
      row = await deps.repo.byUser(product.id, userId);
    }
    if (row === undefined) {
      return deny('engine_not_found', null, 'The engine was removed while admitting');
    }
  }
  if (row.status === 'sleeping' || row.status === 'stopped') {
    if (!autoWake) {
      return deny(
        'engine_sleeping',
        row.status,
        `The engine is ${row.status}; start it or admit with auto_wake`,
      );
    }
    try {
      row = await deps.lifecycle.start(product.id, userId, 'admit', 'wake');
    } catch (error) {
      // A destroy won the engine's lock first: admit answers as it documents (not a 404).
      if (error instanceof ApiError && error.code === 'NOT_FOUND') {
        return deny('engine_not_found', null, 'The engine was removed while admitting');
      }
      throw error;
    }
    woke = true;
  }
  if (row.status !== 'running') {
    return deny('engine_unhealthy', row.status, `The engine is ${row.status}; see GET /audit`);
  }
  deps.lastAdmit.note(row.id);
  return {
    admitted: true,
    engine_id: row.id,
    user_id: row.user_id,
    status: 'running',
    url: deps.view.urlOf(row),
    engine_key: deps.view.keyOf(row),
    provisioned,
    woke,
  };
}

function deny(
  reason: 'engine_not_found' | 'engine_sleeping' | 'engine_unhealthy',
  status: EngineStatus | null,
  message: string,
): AdmitResponse {
  return { admitted: false, reason, status, message };
}
