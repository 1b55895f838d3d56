import type { ProcessorHandler } from '@agentplane/processor-kit';
import { extractiveSummary, splitSentences } from './extractive.js';
import { llmSummary } from './llm-summary.js';

/** text/summarize: mock → an extractive summary; real → the configured LLM. */
export const handler: ProcessorHandler = async (ctx) => {
  const text = ctx.inputs.text as string;
  const maxSentences = (ctx.inputs.max_sentences as number | undefined) ?? 3;
  ctx.progress('summarize', { fraction: 0 });
  const summary =
    ctx.mode === 'mock'
      ? {
          text: extractiveSummary(text, maxSentences),
          model: 'extractive',
          provider: 'mock',
          usage: null,
        }
      : await llmSummary(ctx, text, maxSentences);
  ctx.log.info('handler.summary.ok', { characters: summary.text.length, model: summary.model });
  ctx.progress('write', { fraction: 0.9 });
  const metadata = {
    mode: ctx.mode,
    model: summary.model,
    provider: summary.provider,
    input_characters: text.length,
    input_sentences: splitSentences(text).length,
    output_characters: summary.text.length,
    max_sentences: maxSentences,
    usage: summary.usage,
  };
  await ctx.writeOutput('outputs/response.txt', `${summary.text}\n`);
  await ctx.writeOutput('outputs/metadata.json', `${JSON.stringify(metadata, null, 2)}\n`);
};
