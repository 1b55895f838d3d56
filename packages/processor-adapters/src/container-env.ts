import type { ProcessorMode } from '@agentplane/contracts';
import type { ProcessorTarget } from './target.js';
import { CONTAINER_ARTIFACTS_ROOT } from './write-prefix-mount.js';

export interface ContainerEnvInput {
  target: ProcessorTarget;
  mode: ProcessorMode;
  /** The digest of the image being started. */
  imageDigest: string;
  /** Where CI and secrets are read from. */
  hostEnv: NodeJS.ProcessEnv;
  /** Set last, so it overrides. */
  extra: Record<string, string> | undefined;
}

/** A processor container's environment (`KEY=value` lines). */
export function containerEnv(input: ContainerEnvInput): string[] {
  const { target, hostEnv } = input;
  const env: Record<string, string> = {
    // An image cannot contain its own digest, so the adapter, which knows what it started, tells it.
    IMAGE_DIGEST: input.imageDigest,
    PROCESSOR_ARTIFACTS_ROOT: CONTAINER_ARTIFACTS_ROOT,
  };
  // The processor's ERR_CI_SAFETY guard reads CI.
  if (hostEnv.CI) {
    env.CI = hostEnv.CI;
  }
  // Secrets only for real runs: mock mode must not need them, so it does not get them.
  if (input.mode === 'real') {
    for (const name of [...target.secrets.required, ...target.secrets.one_of]) {
      const value = hostEnv[name];
      if (value) {
        env[name] = value;
      }
    }
  }
  return Object.entries({ ...env, ...input.extra }).map(([k, v]) => `${k}=${v}`);
}
