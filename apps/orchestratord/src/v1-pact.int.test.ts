import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTmpDir } from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import { buildEngineBundle } from './drivers/driver-test-support.js';
import { mismatches } from './pact/match-response.js';
import { locatePact, type PactInteraction, readPact } from './pact/pact-file.js';
import { startDataFleet } from './tasks/test-data-plane.js';
import { cleanupAfterAll } from './test-orchestrator.js';

// Pact provider verification (issue 15): every interaction of llama-orch's CLI contract, in the
// file's order, replayed against the real service (process driver, real Postgres, the engine
// bundle with its mock model). Before each, Pact's provider-states call with the interaction's
// description as the state; the eight conditions a test cannot make on demand (a replica out of
// slots, a decode timeout, …) are set up there (tasks/provider-states.ts). The real conditions
// (a full queue under both policies, a drained pool) are made for real in v1-tasks*.int.test.ts.

const cleanup = cleanupAfterAll();
const pact = locatePact();
if (pact.path === undefined) {
  console.warn(`v1-pact: skipped, no pact file at ${pact.looked.join(' or ')}`);
}

/**
 * An engine "image" (the process driver's: the entry file) whose digest starts with `prefix`:
 * a two-line module importing the engine bundle, varied until its SHA-256 does. The pact's
 * tasks name their model `sha256:abc`, which then resolves in the catalog by digest prefix.
 */
async function engineWithDigestPrefix(prefix: string): Promise<string> {
  const dir = await createTmpDir('orch-pact-');
  cleanup(() => dir.remove());
  const main = pathToFileURL(await buildEngineBundle()).href;
  for (let n = 0; ; n++) {
    const text = `// digest nonce ${n}\nimport ${JSON.stringify(main)};\n`;
    if (createHash('sha256').update(text).digest('hex').startsWith(prefix)) {
      const path = join(dir.path, 'engine.mjs');
      await writeFile(path, text);
      return path;
    }
  }
}

/** The task an interaction is about: the body's task_id, else the one in its path. */
function taskIdOf(interaction: PactInteraction): string | undefined {
  const body = interaction.request.body as { task_id?: unknown } | undefined;
  if (typeof body?.task_id === 'string') {
    return body.task_id;
  }
  return /^\/v1\/tasks\/([^/]+)/.exec(interaction.request.path)?.[1];
}

describe.skipIf(pact.path === undefined)(
  'llama-orch CLI pact, verified against orchestratord',
  () => {
    it('answers every interaction with its status, named headers and body', async (ctx) => {
      const file = readPact(pact.path ?? '');
      const entry = await engineWithDigestPrefix('abc');
      const { orch, product } = await startDataFleet(ctx, cleanup, [25200, 25249], {
        ORCH_TEST_HOOKS: '1',
        ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, entry]),
      });
      const state = async (interaction: PactInteraction, action: 'setup' | 'teardown') => {
        const taskId = taskIdOf(interaction);
        const res = await fetch(`${orch.baseUrl}/_pact/provider-states`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            consumer: file.consumer.name,
            provider: file.provider.name,
            state: interaction.description,
            action,
            params: taskId === undefined ? {} : { task_id: taskId },
          }),
        });
        expect(res.status, `${action} ${interaction.description}: ${await res.text()}`).toBe(200);
      };

      expect(file.interactions).toHaveLength(14);
      const failures: string[] = [];
      for (const interaction of file.interactions) {
        await state(interaction, 'setup');
        const { method, path, headers, body } = interaction.request;
        const res = await fetch(`${orch.baseUrl}${path}`, {
          method,
          // What a verifier's request filter adds: the product's key (the pact predates auth).
          headers: { ...headers, 'x-platform-key': product.platformKey },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const observed = { status: res.status, headers: res.headers, text: await res.text() };
        for (const problem of mismatches(interaction, observed)) {
          failures.push(`${interaction.description}: ${problem}`);
        }
        await state(interaction, 'teardown');
      }
      expect(failures).toEqual([]);
    });

    it('has no provider-states hook without ORCH_TEST_HOOKS=1', async (ctx) => {
      const { orch } = await startDataFleet(ctx, cleanup, [25250, 25259]);
      const res = await fetch(`${orch.baseUrl}/_pact/provider-states`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'pool unready', params: { task_id: crypto.randomUUID() } }),
      });
      expect(res.status).toBe(404);
    });
  },
);
