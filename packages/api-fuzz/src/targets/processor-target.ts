import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { surfaceByName } from '@agentplane/contracts';
import {
  createTmpDir,
  NO_LLM_KEYS,
  spawnService,
  WORKSPACE_ROOT,
  waitHealthy,
} from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import type { Json } from '../openapi/minimal-instance.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget } from './fuzz-target.js';

/** A processor folder under apps/processors/; all serve the one processor surface. */
export type ProcessorName = 'text_summarize' | 'doc_extract';

/** Every file and directory under `root` with its size: what a run would have written. */
async function listing(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        out.push(`${relative(root, path)}/`);
        await walk(path);
      } else {
        out.push(`${relative(root, path)} ${(await stat(path)).size}`);
      }
    }
  };
  await walk(root);
  return out.sort();
}

/**
 * A processor's real main.ts with PROCESSOR_ARTIFACTS_ROOT in a temp dir. Its valid request
 * runs in mock mode on the processor's own example inputs (the document's `inputs` is any
 * object; the processor's registry.yaml is stricter), writing under the root. State: the
 * listing of the artifacts root.
 */
export async function startProcessorTarget(name: ProcessorName): Promise<FuzzTarget> {
  const dir = join(WORKSPACE_ROOT, 'apps/processors', name);
  const root = await createTmpDir(`api-fuzz-${name}-`);
  let service: Awaited<ReturnType<typeof spawnService>> | undefined;
  try {
    const inputs = JSON.parse(await readFile(join(dir, 'examples/inputs.json'), 'utf8')) as Json;
    service = await spawnService({
      entry: join(dir, 'src/main.ts'),
      env: {
        ...NO_LLM_KEYS,
        NODE_ENV: 'test',
        PROCESSOR_ARTIFACTS_ROOT: root.path,
        BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES),
      },
      timeoutMs: 60_000,
    });
    await waitHealthy(service.baseUrl, { path: '/healthz' });
    const body = {
      schema: 'v1',
      mode: 'mock',
      write_prefix: `${root.path}/{execution_id}/`,
      inputs,
    };
    // The valid request must succeed, or every case would be refused for the wrong reason.
    const probe = await fetch(`${service.baseUrl}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, execution_id: 'fuzz-probe' }),
    });
    if (probe.status !== 200) {
      throw new Error(`${name}: the base request failed: ${probe.status} ${await probe.text()}`);
    }
    return {
      name,
      doc: surfaceDocument(surfaceByName('processor')),
      port: service.port,
      credentials: {},
      pathParams: {},
      overrides: { runProcessor: { body }, runProcessorStream: { body } },
      bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
      snapshot: async () => ({ artifacts: await listing(root.path) }),
      async close() {
        await service?.stop('SIGTERM');
        await root.remove();
      },
    };
  } catch (error) {
    await service?.stop('SIGTERM');
    await root.remove();
    throw error;
  }
}
