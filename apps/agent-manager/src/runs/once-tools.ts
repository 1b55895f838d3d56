import type { ToolEntry } from '@agentplane/agent-loop';
import type { RunStore } from './run-store.js';

/** A tool as a run offers it to the loop, and whether running it twice would repeat an effect. */
export interface RunTool {
  entry: ToolEntry;
  sideEffecting: boolean;
}

/**
 * Effectively-once side effects: a side-effecting tool records its result under the model's call
 * id before the loop sees it, and a call id that already has a result (a resumed, retried or
 * replayed step) gets the recorded one without running again. `reused` collects those ids.
 * Only ids of a resumed model response can have a record (`mayBeRecorded`): a fresh response's
 * calls skip the look-up.
 * The one gap: a worker killed after the effect and before the record runs it again; the call
 * id is in the tool's context so a tool can pass it on as an idempotency key.
 */
export function onceTools(
  tools: readonly RunTool[],
  store: Pick<RunStore, 'toolResult' | 'recordToolResult'>,
  agentId: string,
  reused: Set<string>,
  mayBeRecorded: (toolCallId: string) => boolean,
): ToolEntry[] {
  return tools.map(({ entry, sideEffecting }) => {
    if (!sideEffecting) {
      return entry;
    }
    const name = entry.definition.name;
    return {
      definition: entry.definition,
      run: async (input, ctx) => {
        const recorded = mayBeRecorded(ctx.toolCallId)
          ? await store.toolResult(agentId, ctx.toolCallId)
          : null;
        if (recorded) {
          reused.add(ctx.toolCallId);
          if (recorded.error) {
            throw new Error(recorded.error.message);
          }
          return recorded.output;
        }
        const started = performance.now();
        try {
          const output = await entry.run(input, ctx);
          const durationMs = performance.now() - started;
          await store.recordToolResult(agentId, ctx.toolCallId, name, {
            output,
            error: null,
            durationMs,
          });
          return output;
        } catch (error) {
          if (!ctx.signal.aborted) {
            const message = error instanceof Error ? error.message : String(error);
            const durationMs = performance.now() - started;
            await store.recordToolResult(agentId, ctx.toolCallId, name, {
              output: undefined,
              error: { code: 'TOOL_ERROR', message },
              durationMs,
            });
          }
          throw error;
        }
      },
    };
  });
}
