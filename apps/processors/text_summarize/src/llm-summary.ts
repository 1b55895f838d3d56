import { isLlmError, type LlmClient, selectLlm } from '@agentplane/agent-loop';
import { type HandlerContext, ProcessorError } from '@agentplane/processor-kit';

const DEFAULT_MODEL = 'gpt-4o-mini';

export interface LlmSummary {
  text: string;
  model: string;
  provider: string;
  usage: { input_tokens: number; output_tokens: number } | null;
}

// One client per process: the environment does not change while it runs.
let selected: ReturnType<typeof selectLlm> | undefined;

function llm(env: HandlerContext['env']): { client: LlmClient; provider: string } {
  selected ??= selectLlm(env);
  return selected;
}

/** mode=real: asks the configured model for the summary; provider failures are ERR_UPSTREAM. */
export async function llmSummary(
  ctx: HandlerContext,
  text: string,
  maxSentences: number,
): Promise<LlmSummary> {
  const { client, provider } = llm(ctx.env);
  const model =
    (ctx.inputs.model as string | undefined) ?? ctx.env.SUMMARIZE_MODEL ?? DEFAULT_MODEL;
  const parts: string[] = [];
  let usage: LlmSummary['usage'] = null;
  try {
    for await (const chunk of client.stream({
      model,
      signal: ctx.signal,
      messages: [
        {
          role: 'system',
          content: `Summarize the user's text in at most ${maxSentences} sentences. Answer with the summary only.`,
        },
        { role: 'user', content: text },
      ],
    })) {
      if (chunk.type === 'text') {
        parts.push(chunk.text);
      } else if (chunk.type === 'usage') {
        usage = {
          input_tokens: chunk.usage.input_tokens,
          output_tokens: chunk.usage.output_tokens,
        };
      }
    }
  } catch (err) {
    if (isLlmError(err)) {
      throw new ProcessorError('ERR_UPSTREAM', [
        { path: '', message: `${err.code}: ${err.message}` },
      ]);
    }
    throw err;
  }
  ctx.log.info('handler.llm.ok', { provider, model, ...(usage ?? {}) });
  return { text: parts.join('').trim(), model, provider, usage };
}
