import { type AgentTool, builtinDefinition } from './agent-tool.js';

/** What the rag.* and memory.* tools call: the same services as POST /rag/query and /memory. */
export interface RagToolsAccess {
  query(body: {
    query: string;
    top_k: number;
    mode: 'hybrid' | 'vector' | 'text';
    filters?: {
      metadata?: Record<string, string | number | boolean>;
      date_range?: [string, string];
    };
  }): Promise<{ results: unknown[] }>;
  readMemory(query: {
    query: string;
    scope?: 'session' | 'longterm';
    tags?: string;
    limit: number;
  }): Promise<unknown[]>;
  writeMemory(body: {
    scope: 'session' | 'longterm';
    session_id?: string;
    entries: { content: string; tags?: string[] }[];
  }): Promise<string[]>;
}

const TIMEOUT_MS = 30_000;
const TAG = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' };

/** rag.query, memory.read and memory.write (capabilities `rag` and `memory`). */
export function ragTools(access: RagToolsAccess): AgentTool[] {
  return [
    {
      capability: 'rag',
      sideEffecting: false,
      definition: builtinDefinition({
        name: 'rag.query',
        description:
          'Searches the ingested documents (hybrid: meaning and words) and returns the best ' +
          'passages with their document ids and metadata.',
        input_schema: {
          type: 'object',
          properties: {
            query: { type: 'string', minLength: 1, maxLength: 8192 },
            top_k: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
            mode: { enum: ['hybrid', 'vector', 'text'], default: 'hybrid' },
            filters: {
              type: 'object',
              properties: {
                metadata: {
                  type: 'object',
                  additionalProperties: { type: ['string', 'number', 'boolean'] },
                },
                date_range: {
                  type: 'array',
                  items: { type: 'string', format: 'date' },
                  minItems: 2,
                  maxItems: 2,
                },
              },
              additionalProperties: false,
            },
          },
          required: ['query'],
          additionalProperties: false,
        },
        timeout_ms: TIMEOUT_MS,
      }),
      run: (input) => access.query(input as never),
    },
    {
      capability: 'memory',
      sideEffecting: false,
      definition: builtinDefinition({
        name: 'memory.read',
        description: 'Recalls memory entries relevant to a query, best first.',
        input_schema: {
          type: 'object',
          properties: {
            query: { type: 'string', minLength: 1, maxLength: 4096 },
            scope: { enum: ['session', 'longterm'] },
            tags: { type: 'array', items: TAG, maxItems: 32 },
            limit: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
          },
          required: ['query'],
          additionalProperties: false,
        },
        timeout_ms: TIMEOUT_MS,
      }),
      run: async (input) => ({
        entries: await access.readMemory({
          query: String(input.query),
          ...(input.scope === undefined ? {} : { scope: input.scope as 'session' | 'longterm' }),
          ...(Array.isArray(input.tags) && input.tags.length > 0
            ? { tags: input.tags.join(',') }
            : {}),
          limit: Number(input.limit ?? 5),
        }),
      }),
    },
    {
      capability: 'memory',
      // Recorded under the call id: a resumed step does not write the entries twice.
      sideEffecting: true,
      definition: builtinDefinition({
        name: 'memory.write',
        description:
          'Remembers facts: long-term, or for this agent’s session (they expire). Returns ids.',
        input_schema: {
          type: 'object',
          properties: {
            scope: { enum: ['session', 'longterm'], default: 'longterm' },
            entries: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: {
                type: 'object',
                properties: {
                  content: { type: 'string', minLength: 1, maxLength: 16_384 },
                  tags: { type: 'array', items: TAG, maxItems: 32 },
                },
                required: ['content'],
                additionalProperties: false,
              },
            },
          },
          required: ['entries'],
          additionalProperties: false,
        },
        timeout_ms: TIMEOUT_MS,
      }),
      run: async (input, ctx) => {
        const scope = (input.scope ?? 'longterm') as 'session' | 'longterm';
        const ids = await access.writeMemory({
          scope,
          // An agent's session is the agent: its session entries are its own.
          ...(scope === 'session' ? { session_id: ctx.agentId } : {}),
          entries: input.entries as { content: string; tags?: string[] }[],
        });
        return { ids };
      },
    },
  ];
}
