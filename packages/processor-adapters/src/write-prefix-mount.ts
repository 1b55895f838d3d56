import { posix } from 'node:path';
import type { ProcessorEnvelope } from '@agentplane/contracts';

/** Where a LocalAdapter mounts a run's directory inside a processor container: /artifacts/<execution_id>. */
export const CONTAINER_ARTIFACTS_ROOT = '/artifacts';

/**
 * How a host write_prefix reaches a container. The adapter expands `{execution_id}` itself and
 * bind-mounts only that run's directory (`/srv/runs/{execution_id}/` → host `/srv/runs/e1`) at
 * `/artifacts/e1`, so a processor sees its own run and nothing else of the host. The processor gets
 * `/artifacts/e1/` as write_prefix (its artifacts root is /artifacts), and paths in its envelope
 * are mapped back to the host.
 */
export interface WritePrefixMount {
  hostDir: string;
  containerDir: string;
  containerPrefix: string;
  /** A container path from an envelope, as the host sees it (other paths unchanged). */
  toHost(path: string): string;
}

export type WritePrefixMountResult =
  | { ok: true; mount: WritePrefixMount }
  | { ok: false; reason: string };

// The contract's ExecutionId: safe as one path segment.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function mountForWritePrefix(
  writePrefix: string,
  executionId: string,
): WritePrefixMountResult {
  if (!SEGMENT.test(executionId)) {
    return { ok: false, reason: 'execution_id must be 1-128 of [A-Za-z0-9._-]' };
  }
  const expanded = writePrefix.replaceAll('{execution_id}', executionId);
  if (/[{}]/.test(expanded)) {
    return { ok: false, reason: 'unknown placeholder (only {execution_id} is expanded)' };
  }
  if (!posix.isAbsolute(expanded)) {
    return { ok: false, reason: `write_prefix must be an absolute host path, got ${writePrefix}` };
  }
  if (expanded.split('/').includes('..')) {
    return { ok: false, reason: 'write_prefix must not contain .. segments' };
  }
  const hostDir = posix.normalize(expanded).replace(/\/+$/, '');
  if (hostDir === '') {
    return { ok: false, reason: 'write_prefix would mount the host root /' };
  }
  const containerDir = `${CONTAINER_ARTIFACTS_ROOT}/${executionId}`;
  return {
    ok: true,
    mount: {
      hostDir,
      containerDir,
      containerPrefix: `${containerDir}/`,
      toHost(path) {
        if (path === containerDir || path.startsWith(`${containerDir}/`)) {
          return hostDir + path.slice(containerDir.length);
        }
        return path;
      },
    },
  };
}

/** The envelope with its artifact paths as the host sees them. */
export function toHostPaths(
  envelope: ProcessorEnvelope,
  toHost: (path: string) => string,
): ProcessorEnvelope {
  if (envelope.status !== 'success') {
    return envelope;
  }
  return {
    ...envelope,
    outputs: envelope.outputs.map((o) => ({ ...o, path: toHost(o.path) })),
    index_path: toHost(envelope.index_path),
    ...(envelope.receipt_path ? { receipt_path: toHost(envelope.receipt_path) } : {}),
  };
}
