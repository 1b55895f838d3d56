import type { ToolRegistry } from '@agentplane/agent-loop';
import type { ConversationStore } from '../brain/conversation-store.js';

/**
 * Wraps a run's tools so a call whose stable id already has a successful recorded result (a
 * retry, edit or interrupt re-run that reproduces the same call) gets that result instead of
 * running again: a side effect (memory.write, an HTTP POST) happens once per call id.
 */
export function reuseRecordedResults(
  tools: ToolRegistry,
  store: Pick<ConversationStore, 'findToolCall'>,
): ToolRegistry {
  const wrapped: ToolRegistry = new Map(
    [...tools].map(([name, tool]) => [
      name,
      {
        ...tool,
        run: async (input, ctx) => {
          const recorded = store.findToolCall(ctx.toolCallId);
          if (recorded !== undefined && recorded.status === 'ok' && recorded.name === name) {
            return recorded.result;
          }
          return tool.run(input, ctx);
        },
      },
    ]),
  );
  return wrapped;
}
