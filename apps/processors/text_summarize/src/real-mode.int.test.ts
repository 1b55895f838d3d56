import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessorEnvelope } from '@agentplane/contracts';
import { type StartedProcessor, spawnProcessor } from '@agentplane/processor-kit/contract-suite';
import { type FakeOpenAI, startFakeOpenAI } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('text/summarize mode=real against an OpenAI-compatible server', () => {
  let fake: FakeOpenAI;
  let processor: StartedProcessor;
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'summarize-real-'));
    fake = await startFakeOpenAI();
    processor = await spawnProcessor({
      entry,
      // CI unset in this child only: real mode is what is under test, against a local fake.
      env: {
        CI: undefined,
        LLM_BASE_URL: fake.baseURL,
        LLM_API_KEY: 'test-key',
        OPENAI_API_KEY: undefined,
      },
    });
  });

  afterAll(async () => {
    await processor?.stop();
    await fake?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const run = async (executionId: string, inputs: Record<string, unknown>) => {
    const res = await fetch(`${processor.baseUrl}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        execution_id: executionId,
        write_prefix: join(tmp, '{execution_id}'),
        schema: 'v1',
        mode: 'real',
        inputs,
      }),
    });
    return { status: res.status, envelope: ProcessorEnvelope.parse(await res.json()) };
  };

  it('writes the model answer and its usage', async () => {
    fake.script([
      { text: 'Processors do one job each.', usage: { prompt_tokens: 40, completion_tokens: 6 } },
    ]);
    const { status, envelope } = await run('real-1', {
      text: 'A long text. About processors.',
      model: 'gpt-test',
    });
    expect(status, JSON.stringify(envelope)).toBe(200);
    expect(await readFile(join(tmp, 'real-1', 'outputs', 'response.txt'), 'utf8')).toBe(
      'Processors do one job each.\n',
    );
    const metadata = JSON.parse(
      await readFile(join(tmp, 'real-1', 'outputs', 'metadata.json'), 'utf8'),
    );
    expect(metadata).toMatchObject({ mode: 'real', model: 'gpt-test', provider: 'custom' });
    expect(metadata.usage).toEqual({ input_tokens: 40, output_tokens: 6 });
    const request = fake.requests.at(-1);
    expect(request?.authorization).toBe('Bearer test-key');
    expect(request?.body.model).toBe('gpt-test');
    expect(JSON.stringify(request?.body.messages)).toContain('About processors.');
  });

  it('answers ERR_UPSTREAM when the model fails', async () => {
    fake.script([{ httpError: { status: 400 } }]);
    const { status, envelope } = await run('real-2', { text: 'Some text.' });
    expect(status).toBe(502);
    expect(envelope.status === 'error' && envelope.error.code).toBe('ERR_UPSTREAM');
  });
});
