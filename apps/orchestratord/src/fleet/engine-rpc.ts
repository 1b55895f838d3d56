import { createClient, engineRoutes } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';

/**
 * Replaces the engine's accepted key hashes (`control.set_key_hashes`), authenticating with a
 * key it accepts now. A refusal or an unreachable engine is a 502 UPSTREAM_ERROR.
 */
export async function setEngineKeyHashes(
  url: string,
  currentKey: string,
  hashes: readonly string[],
): Promise<void> {
  const client = createClient(engineRoutes, {
    baseUrl: url,
    headers: () => ({ 'x-engine-key': currentKey }),
  });
  let status: number;
  try {
    const res = await client.rpc({
      body: { subsystem: 'control', op: 'set_key_hashes', hashes: [...hashes] },
    });
    status = res.status;
  } catch (error) {
    throw new ApiError({
      code: 'UPSTREAM_ERROR',
      message: `The engine did not take the new key: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  if (status !== 200) {
    throw new ApiError({
      code: 'UPSTREAM_ERROR',
      message: `The engine refused the key swap (${status})`,
    });
  }
}
