import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockLlm, createToolRegistry, runAgentLoop } from '@agentplane/agent-loop';
import { inPool } from './common.js';

// The service's work without the service: the same agent loop, model and tool in one process,
// no queue, no checkpoints, no event log. What the throughput bench compares against.

/** `file.write` as the service offers it (schema, atomic replace), in one folder per agent. */
function fileWriteTool(root: string, agent: string) {
  const PATH = { type: 'string', minLength: 1, maxLength: 1024 };
  return {
    definition: {
      name: 'file.write',
      description: "Writes a file in the agent's own folder, creating folders on the way.",
      kind: 'builtin' as const,
      input_schema: {
        type: 'object' as const,
        properties: { path: PATH, content: { type: 'string' } },
        required: ['path', 'content'],
        additionalProperties: false,
      },
      timeout_ms: 10_000,
      needs_approval: false,
    },
    async run(input: Record<string, unknown>) {
      const dir = join(root, agent);
      await mkdir(dir, { recursive: true });
      const target = join(dir, String(input.path));
      const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
      const data = Buffer.from(String(input.content), 'utf8');
      await writeFile(tmp, data);
      await rename(tmp, target);
      return { path: String(input.path), bytes: data.byteLength };
    },
  };
}

/** `agents` loops of `goal` with `concurrency` at once; steps (model calls) per second. */
export async function loopBaseline(goal: string, agents: number, concurrency: number) {
  const root = mkdtempSync(join(tmpdir(), 'bench-am-loop-'));
  const llm = createMockLlm();
  let steps = 0;
  let completed = 0;
  try {
    const started = performance.now();
    await inPool(
      Array.from({ length: agents }, (_, i) => `agent-${i}`),
      concurrency,
      async (agent) => {
        const result = await runAgentLoop({
          llm,
          model: 'mock',
          messages: [{ role: 'user', content: goal }],
          tools: createToolRegistry([fileWriteTool(root, agent)]),
          maxTurns: 60,
          emit: () => {},
        });
        steps += result.modelCalls;
        completed += result.status === 'completed' ? 1 : 0;
      },
    );
    const seconds = (performance.now() - started) / 1000;
    return { agents, completed, steps, seconds, steps_per_s: steps / seconds };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
