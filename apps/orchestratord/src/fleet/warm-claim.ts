import type { AuditActor } from '@agentplane/contracts';
import { sha256Hex } from '../keys/secrets.js';
import type { EngineRow } from './engine-repo.js';
import { setEngineKeyHashes } from './engine-rpc.js';
import { lockKeyOf } from './engine-view.js';
import type { ProductRow } from './product-repo.js';
import type { ProvisionOptions } from './provision.js';

/**
 * Hands a warm-pool engine to the user: in one transaction (product lock, quota, unique user)
 * the engine is told to accept [warm key, user key], and the row moves to the product with the
 * warm key as an already-expired previous key; then the set becomes [user key] (if that call
 * fails, the health loop's overlap sweep repeats it). A crash at any point leaves either a
 * warm engine or the user's engine, never both. Undefined: no warm engine could be claimed.
 * The status stays `running` throughout: a claim changes the engine's owner, not its state.
 */
export async function claimWarmEngine(
  opts: Pick<
    ProvisionOptions,
    | 'repo'
    | 'view'
    | 'machine'
    | 'mutex'
    | 'sealer'
    | 'logger'
    | 'defaultImage'
    | 'syncKeys'
    | 'discard'
  >,
  claim: { product: ProductRow; userId: string; key: string; actor: AuditActor },
): Promise<EngineRow | 'exists' | 'quota' | undefined> {
  const { repo, view, logger } = opts;
  const started = performance.now();
  const keyHash = sha256Hex(claim.key);
  for (const candidate of await repo.warmCandidates(opts.defaultImage, 3)) {
    const warmLock = lockKeyOf(candidate);
    if (opts.mutex.busy(warmLock)) {
      continue;
    }
    const claimed = await opts.mutex
      .run(warmLock, () =>
        repo.claimWarm({
          engineId: candidate.id,
          productId: claim.product.id,
          userId: claim.userId,
          maxEngines: claim.product.policy.max_engines,
          patch: (warm) => ({
            key_hash: keyHash,
            key_enc: opts.sealer.seal(claim.key, warm.id),
            prev_key_hash: warm.key_hash,
            prev_key_expires_at: new Date(),
            last_admit_at: null,
          }),
          beforeCommit: (warm) =>
            setEngineKeyHashes(view.urlOf(warm), view.keyOf(warm), [warm.key_hash, keyHash]),
        }),
      )
      .catch((error: unknown) => {
        // The engine refused its new key (dead, or not ours any more): it is of no use.
        logger.warn({ err: error, engine_id: candidate.id }, 'warm engine refused a claim');
        void opts.discard(candidate).catch(() => {});
        return 'gone' as const;
      });
    if (claimed === 'exists' || claimed === 'quota') {
      return claimed;
    }
    if (claimed === 'gone') {
      continue;
    }
    const running = await opts.mutex.run(lockKeyOf(claimed), async () => {
      await opts
        .syncKeys(claimed)
        .catch((error: unknown) =>
          logger.warn(
            { err: error, engine_id: claimed.id },
            'dropping the warm key failed; the sweep retries',
          ),
        );
      return (await repo.byId(claimed.id)) ?? claimed;
    });
    await opts.machine.note(running, {
      actor: claim.actor,
      action: 'provision',
      durationMs: performance.now() - started,
      metadata: { pool: running.pool, image: running.image, warm: true },
      published: { from: null, to: 'running' },
    });
    return running;
  }
  return undefined;
}
