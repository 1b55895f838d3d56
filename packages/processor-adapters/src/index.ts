export type { AdapterLogger, ProcessorAdapter } from './adapter.js';
export { adapterError, checkDigest, settleAnswer } from './adapter-envelope.js';
export { isPinned, normaliseDigest } from './digest.js';
export { dockerFromHost } from './docker-connection.js';
export {
  type ColdRunTimings,
  createLocalAdapter,
  type LocalAdapterOptions,
} from './local-adapter.js';
export { pinImage } from './pin-image.js';
export type { InputMount } from './processor-container.js';
export { findRepoRoot, loadRegistryFor, registryPathFor } from './registry-file.js';
export { createRemoteAdapter, type RemoteAdapterOptions } from './remote-adapter.js';
export {
  hostPlatform,
  type ProcessorTarget,
  targetFromRegistry,
  unpinnedTarget,
} from './target.js';
export { CONTAINER_ARTIFACTS_ROOT, mountForWritePrefix } from './write-prefix-mount.js';
