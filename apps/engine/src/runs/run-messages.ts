import type { ChatMessage, LlmContentPart } from '@agentplane/agent-loop';
import type { AgentDefinition, CoreSoul, MediaItem } from '@agentplane/contracts/engine';
import type { HistoryMessage } from '../brain/history-types.js';

/** The system prompt: the platform's soul, then the agent's own instructions. */
export function systemPrompt(soul: CoreSoul, agent: AgentDefinition): string {
  const list = (items: readonly string[]) => items.map((item) => `- ${item}`).join('\n');
  const parts = [
    soul.persona,
    `Principles:\n${list(soul.principles)}`,
    `Style: ${soul.style.tone}; ${soul.style.verbosity}.`,
  ];
  if (soul.style.formatting.length > 0) {
    parts.push(`Formatting:\n${list(soul.style.formatting)}`);
  }
  if (soul.boundaries.length > 0) {
    parts.push(`Boundaries:\n${list(soul.boundaries)}`);
  }
  parts.push(`Role: ${agent.name}. ${agent.system_prompt}`);
  return parts.join('\n\n');
}

/** The brain's history (OpenAI wire shape) as the loop's provider-neutral messages. */
export function toChatMessages(history: readonly HistoryMessage[]): ChatMessage[] {
  return history.map((m): ChatMessage => {
    switch (m.role) {
      case 'assistant':
        return m.tool_calls && m.tool_calls.length > 0
          ? {
              role: 'assistant',
              content: m.content,
              tool_calls: m.tool_calls.map((c) => ({
                id: c.id,
                name: c.function.name,
                arguments: c.function.arguments,
              })),
            }
          : { role: 'assistant', content: m.content };
      case 'tool':
        return { role: 'tool', tool_call_id: m.tool_call_id, content: m.content };
      default:
        return { role: m.role, content: m.content };
    }
  });
}

/**
 * The new user message for the model: text plus image attachments as image parts. Other media
 * (pdf, audio, …) are named in the text: the OpenAI-compatible chat shape has no common part for
 * them. Only the text is stored in the brain.
 */
export function userContent(message: string, media: readonly MediaItem[]): ChatMessage {
  if (media.length === 0) {
    return { role: 'user', content: message };
  }
  const parts: LlmContentPart[] = [{ type: 'text', text: message }];
  for (const item of media) {
    const url = item.url ?? `data:${item.mime_type};base64,${item.data ?? ''}`;
    if (item.type === 'image') {
      parts.push({ type: 'image_url', image_url: { url } });
    } else {
      const name = item.name ?? item.url ?? 'inline data';
      parts.push({ type: 'text', text: `[attachment: ${item.type} ${item.mime_type} ${name}]` });
    }
  }
  return { role: 'user', content: parts };
}
