import { BusEvents, BusTopic } from '../bus/topics.js';
import { z } from '../common/zod.js';

const TOPIC_LIST = /^[a-z.]+(,[a-z.]+)*$/;

export const BusStreamQuery = z.object({
  topics: z
    .string()
    .max(200)
    .regex(TOPIC_LIST, 'comma-separated topic names')
    .refine(
      (text) => text.split(',').every((topic) => BusTopic.safeParse(topic).success),
      `each topic one of ${BusTopic.options.join(', ')}`,
    )
    .describe(`Comma-separated: ${BusTopic.options.join(', ')}`),
  from: z
    .enum(['now', 'beginning'])
    .optional()
    .describe('Without Last-Event-ID: only new messages (`now`, default) or all kept ones'),
});

export const BusStreamHeaders = z.object({
  'last-event-id': z
    .string()
    .max(2000)
    .optional()
    .describe('The `id:` last received: every followed topic resumes exactly after it'),
});

export const BusStreamOverflow = z
  .object({
    event: z.literal('stream_overflow'),
    topic: BusTopic,
    reason: z.string().describe('This client read too slowly; reconnect with Last-Event-ID'),
  })
  .openapi('BusStreamOverflow');

/** Every topic's messages, each with its topic: one union on `event` (also the SSE event name). */
const withTopics = Object.entries(BusEvents).flatMap(([topic, union]) =>
  union.options.map((option) => option.extend({ topic: z.literal(topic as BusTopic) })),
);

/** GET /events: bus messages as they are published (the seed's topics, plus engine.lifecycle). */
export const BusStreamEvent = z
  .discriminatedUnion('event', [BusStreamOverflow, ...withTopics] as unknown as [
    typeof BusStreamOverflow,
    ...(typeof withTopics)[number][],
  ])
  .openapi('BusStreamEvent');
export type BusStreamEvent = z.infer<typeof BusStreamEvent>;
