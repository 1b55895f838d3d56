import type { ProcessorRegistry } from '@agentplane/contracts';
import { envFingerprint } from '@agentplane/processor-kit';
import { normaliseDigest } from './digest.js';

/** What an adapter needs to know about the processor it talks to, taken from registry.yaml. */
export interface ProcessorTarget {
  ref: string;
  /** The image to run (LocalAdapter), usually pinned `repo/image@sha256:…`; undefined when none is recorded. */
  image: string | undefined;
  /** The digest registry.yaml pins (`sha256:…`), checked against every envelope's meta.image_digest. */
  expectedDigest: string | undefined;
  /** As the kit reports it, e.g. `cpu:1;memory:2Gi`; used in the meta of adapter-made envelopes. */
  envFingerprint: string;
  runtime: ProcessorRegistry['runtime'];
  secrets: ProcessorRegistry['secrets'];
}

type Platform = 'amd64' | 'arm64';

/** The platform of this machine in registry.yaml's terms; undefined on one it does not list. */
export function hostPlatform(arch: string = process.arch): Platform | undefined {
  return arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
}

/**
 * The target for one registry entry. `platform` picks the image: a LocalAdapter runs this
 * machine's platform, a RemoteAdapter checks against amd64 (what is deployed remotely); both fall
 * back to `image.default_platform`.
 */
export function targetFromRegistry(
  registry: ProcessorRegistry,
  platform?: Platform,
): ProcessorTarget {
  const platforms = registry.image?.platforms ?? {};
  const image =
    (platform ? platforms[platform] : undefined) ??
    platforms[registry.image?.default_platform ?? 'amd64'];
  return {
    ref: registry.ref,
    image,
    expectedDigest: normaliseDigest(image),
    envFingerprint: envFingerprint(registry),
    runtime: registry.runtime,
    secrets: registry.secrets,
  };
}

/**
 * A target without a registry entry (a processor known only by its id and URL): no image, no
 * pinned digest, so envelopes are not checked for drift.
 */
export function unpinnedTarget(ref: string, timeoutMs: number): ProcessorTarget {
  return {
    ref,
    image: undefined,
    expectedDigest: undefined,
    envFingerprint: 'unknown',
    runtime: { cpu: '1', memory_gb: 1, timeout_s: Math.ceil(timeoutMs / 1000), gpu: null },
    secrets: { required: [], one_of: [] },
  };
}
