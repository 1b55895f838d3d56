import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeOpenAI, WORKSPACE_ROOT } from '@agentplane/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { names, readEvents } from './test-support/agent-streams.js';
import {
  describeVariants,
  type LiveAgentManager,
  startLiveAgentManager,
} from './test-support/live-agent-manager.js';

describeVariants('agents on an OpenAI-compatible provider', (variant) => {
  let am: LiveAgentManager;
  let openai: Awaited<ReturnType<typeof startFakeOpenAI>>;
  beforeAll(async () => {
    openai = await startFakeOpenAI();
    am = await startLiveAgentManager({
      variant,
      workers: 1,
      env: {
        LLM_BASE_URL: openai.baseURL,
        LLM_API_KEY: 'sk-test',
        AM_MODEL: 'gpt-test',
        AM_CATALOG_DIR: join(WORKSPACE_ROOT, 'catalog'),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await openai?.close();
  });

  it('runs the model’s tool calls over several steps through the openai SDK', async () => {
    openai.script([
      {
        text: 'Writing the file.',
        toolCalls: [
          { name: 'file.write', arguments: { path: 'o.txt', content: 'from the model' } },
        ],
      },
      {
        text: 'Reading it back.',
        toolCalls: [{ name: 'file.read', arguments: { path: 'o.txt' } }],
      },
      { text: 'The file says: from the model.' },
    ]);
    const created = await am.client.createAgent({
      body: { goal: 'write and read o.txt', capabilities: ['fs'], max_steps: 5, agent: 'analyst' },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    const started = await am.client.startAgent({ params: { agent_id }, query: { stream: 'true' } });
    if (started.status !== 200) {
      throw new Error(`start: ${started.status}`);
    }
    const seen = await readEvents(started);
    expect(names(seen).filter((n) => n === 'step_end')).toHaveLength(3);
    expect(seen.at(-1)?.event).toMatchObject({
      event: 'agent_completed',
      output: 'The file says: from the model.',
      steps: 3,
    });
    const read = seen.find((s) => s.event.event === 'tool_result' && s.event.tool === 'file.read');
    expect(JSON.stringify(read?.event)).toContain('from the model');
    expect(readFileSync(join(am.filesRoot, agent_id, 'o.txt'), 'utf8')).toBe('from the model');
    const chat = openai.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chat).toHaveLength(3);
    expect(chat[0]?.body.model).toBe('gpt-test');
    // The catalog agent's system prompt leads the conversation.
    const analyst = JSON.parse(
      readFileSync(join(WORKSPACE_ROOT, 'catalog/agents/analyst.json'), 'utf8'),
    );
    expect(
      (chat[0]?.body.messages as Array<{ role: string; content: string }> | undefined)?.[0],
    ).toEqual({
      role: 'system',
      content: analyst.system_prompt,
    });
    const unknown = await am.client.createAgent({ body: { goal: 'x', agent: 'nobody' } });
    expect(unknown.status).toBe(400);
    expect(openai.remainingTurns()).toBe(0);
  });
});
