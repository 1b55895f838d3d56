import { type RpcRequestBody, type RpcResponseBody, rpc } from '@agentplane/contracts/engine';
import { ApiError, assertNever, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { KeySet } from '../auth/key-set.js';
import type { ConfigHolder } from '../gateway/config-holder.js';
import { GatewayConfigError, loadGatewayConfig } from '../gateway/load-gateway-config.js';
import type { EngineReadiness } from '../readiness.js';
import type { UsageStore } from '../usage/usage-store.js';

export interface RpcDeps {
  gateway: ConfigHolder;
  gatewayConfigPath: string;
  keys: KeySet;
  /** Absent when the brain did not open: telemetry then answers 503 NOT_READY. */
  usage: UsageStore | undefined;
  /** Its `gateway` entry turns ok after any successful swap (a fix of a bad start-up file). */
  readiness: EngineReadiness;
}

async function reload(deps: RpcDeps) {
  try {
    const { config, source } = await loadGatewayConfig(deps.gatewayConfigPath);
    return deps.gateway.swap(config, source);
  } catch (err) {
    if (err instanceof GatewayConfigError) {
      // The active config is untouched: the swap above never ran.
      throw new ApiError({
        code: 'CONFIG_INVALID',
        message: err.message,
        details: { issues: err.issues },
      });
    }
    throw err;
  }
}

function usageOf(deps: RpcDeps): UsageStore {
  if (deps.usage === undefined) {
    throw new ApiError({ code: 'NOT_READY', message: 'The brain is not open' });
  }
  return deps.usage;
}

async function dispatch(body: RpcRequestBody, deps: RpcDeps): Promise<RpcResponseBody> {
  switch (body.op) {
    case 'get_config':
      return { subsystem: 'control', op: body.op, result: deps.gateway.current() };
    case 'set_config': {
      const result = deps.gateway.swap(body.config, 'rpc');
      deps.readiness.gateway = { ok: true };
      return { subsystem: 'control', op: body.op, result };
    }
    case 'reload': {
      const result = await reload(deps);
      deps.readiness.gateway = { ok: true };
      return { subsystem: 'control', op: body.op, result };
    }
    case 'set_key_hashes':
      deps.keys.replace(body.hashes);
      return {
        subsystem: 'control',
        op: body.op,
        result: { accepted_hashes: deps.keys.hashes().length },
      };
    case 'quota_state':
      return {
        subsystem: 'telemetry',
        op: body.op,
        result: usageOf(deps).quotaState(deps.gateway.current().config.quotas),
      };
    case 'cache_state':
      return {
        subsystem: 'telemetry',
        op: body.op,
        result: usageOf(deps).cacheState(deps.gateway.current().config.prompt_cache),
      };
    default:
      // Validation already answered 400 UNKNOWN_OPERATION; this makes a new op fail to compile.
      return assertNever(body, 'rpc op');
  }
}

// Guarded by X-Engine-Key (app.ts mounts the check in front of every engineKey route).
export function registerRpcPost(router: IRouter, deps: RpcDeps): void {
  registerRoute(router, rpc, async ({ body }) => ({
    status: 200,
    body: await dispatch(body, deps),
  }));
}
