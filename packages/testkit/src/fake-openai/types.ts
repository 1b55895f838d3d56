import type { IncomingHttpHeaders } from 'node:http';

/** A tool call the next response makes. */
export interface ScriptedToolCall {
  name: string;
  /** An object is sent as its JSON; a string is sent as is (it may be invalid JSON on purpose). */
  arguments: object | string;
  /** Defaults to `call_<n>`, unique within the server. */
  id?: string;
  /** How many stream chunks the arguments are split over; default 3. */
  argumentChunks?: number;
}

export interface ScriptedUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** What the next `POST /v1/chat/completions` gets. Every field is optional. */
export interface ScriptedTurn {
  /** Assistant text: a string is streamed word by word, an array chunk by chunk as given. */
  text?: string | readonly string[];
  toolCalls?: readonly ScriptedToolCall[];
  /** Overrides the computed usage (a rough 4-characters-per-token estimate). */
  usage?: ScriptedUsage;
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /**
   * Streams: send the role chunk and `afterChunks` content/tool chunks, then an SSE
   * `data: {"error":{...}}` event, and end without `[DONE]`. Non-streaming requests get the
   * same error as an HTTP response with `status` (default 500).
   */
  errorMidStream?: {
    afterChunks: number;
    status?: number;
    message: string;
    type?: string;
    code?: string;
  };
  /** Answer with this HTTP status; `body` defaults to an OpenAI error object for the status. */
  httpError?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** Wait this long before the response starts. */
  delayMs?: number;
  /** Wait this long between stream chunks. */
  chunkDelayMs?: number;
}

/** A request as the fake server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Lower-cased header names, as node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The `Authorization` header, recorded whatever it says. */
  readonly authorization: string | undefined;
  /** The parsed JSON body; `{}` when the body was empty, not JSON or not an object. */
  readonly body: { readonly [key: string]: unknown };
  readonly rawBody: string;
}

export interface FakeOpenAIOptions {
  /** Vector size for embeddings requests that do not send `dimensions`; default 1536. */
  embeddingDimensions?: number;
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:<port>/v1`, ready for `new OpenAI({ baseURL, apiKey })`. */
  readonly baseURL: string;
  /** Every request received, in order, including rejected ones. */
  readonly requests: readonly RecordedRequest[];
  /** Appends turns; each chat request consumes one, in order. */
  script(turns: readonly ScriptedTurn[]): void;
  /** Turns scripted but not consumed yet. */
  remainingTurns(): number;
  close(): Promise<void>;
}
