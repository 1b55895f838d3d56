import type { ConfigState, GatewayConfig } from '@agentplane/contracts/engine';

export type ConfigSource = ConfigState['source'];

/**
 * The active gateway config. A run reads `current()` once at its start and keeps that object:
 * every state is deep-frozen and never mutated, so a later swap cannot change a run in flight.
 *
 * @example
 * const { config } = holder.current(); // stays the same for this whole run
 * holder.swap(next, 'rpc');            // later runs see `next`
 */
export interface ConfigHolder {
  current(): ConfigState;
  swap(config: GatewayConfig, source: ConfigSource): ConfigState;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) {
      deepFreeze(inner);
    }
    Object.freeze(value);
  }
  return value;
}

export function createConfigHolder(
  initial: GatewayConfig,
  source: ConfigSource,
  now: () => Date = () => new Date(),
): ConfigHolder {
  let generation = 0;
  const make = (config: GatewayConfig, from: ConfigSource): ConfigState => {
    generation += 1;
    // Cloned first: the caller's object (a request body) must not be frozen or aliased.
    return deepFreeze({
      config: structuredClone(config),
      generation,
      source: from,
      applied_at: now().toISOString(),
    });
  };
  // One reference assignment is the whole swap: readers see the old state or the new, never a mix.
  let state = make(initial, source);
  return {
    current: () => state,
    swap(config, from) {
      state = make(config, from);
      return state;
    },
  };
}
