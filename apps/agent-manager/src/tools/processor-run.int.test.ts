import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTmpDir,
  NO_LLM_KEYS,
  type SpawnedService,
  spawnService,
  type TmpDir,
} from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processorRunTool } from './processor-run-tool.js';

const PROCESSORS_DIR = fileURLToPath(new URL('../../../processors', import.meta.url));
const REF = 'text/summarize@1';
const AGENT = 'agt_0000000000aa';

let artifacts: TmpDir;
let processor: SpawnedService;

beforeAll(async () => {
  artifacts = await createTmpDir('am-processor-run-');
  // The real text_summarize processor, as a plain process on loopback (what RemoteAdapter reaches).
  processor = await spawnService({
    entry: join(PROCESSORS_DIR, 'text_summarize/src/main.ts'),
    env: { ...NO_LLM_KEYS, NODE_ENV: 'test', PROCESSOR_ARTIFACTS_ROOT: artifacts.path },
    timeoutMs: 60_000,
  });
}, 90_000);

afterAll(async () => {
  await processor?.stop('SIGTERM');
  await artifacts?.remove();
});

const ctx = (toolCallId: string) => ({
  agentId: AGENT,
  stepId: '1',
  toolCallId,
  signal: new AbortController().signal,
});

describe('processor.run against the text_summarize processor', () => {
  it("runs it and returns the envelope; outputs land under the agent's write_prefix", async () => {
    const tool = processorRunTool({
      urls: { [REF]: processor.baseUrl },
      processorsDir: PROCESSORS_DIR,
      writePrefix: `${artifacts.path}/{agent_id}/{execution_id}/`,
      mode: 'mock',
      timeoutMs: 30_000,
    });
    try {
      expect(tool.sideEffecting).toBe(true);
      const envelope = (await tool.run(
        {
          processor: REF,
          inputs: { text: 'One sentence. Another sentence. A third one here.', max_sentences: 1 },
        },
        ctx('call_1'),
      )) as { status: string; execution_id: string; outputs: { path: string }[] };
      expect(envelope).toMatchObject({ status: 'success', execution_id: `${AGENT}_call_1` });
      const response = envelope.outputs.find((o) => o.path.endsWith('response.txt'));
      expect(response?.path.startsWith(join(artifacts.path, AGENT, `${AGENT}_call_1`))).toBe(true);
      expect((await readFile(response?.path ?? '', 'utf8')).length).toBeGreaterThan(0);

      // Inputs the processor's schema refuses come back as its error envelope, not a throw.
      const refused = await tool.run({ processor: REF, inputs: { nope: 1 } }, ctx('call_2'));
      expect(refused).toMatchObject({ status: 'error', error: { code: 'ERR_INPUTS_INVALID' } });

      // `<ns>/<name>` names the one configured version.
      await expect(
        tool.run({ processor: 'text/summarize', inputs: { text: 'Short.' } }, ctx('call_4')),
      ).resolves.toMatchObject({ status: 'success', execution_id: `${AGENT}_call_4` });
      await expect(
        tool.run({ processor: 'other/thing@1', inputs: {} }, ctx('call_3')),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      await tool.close();
    }
  });
});
