import type { TokenUsage } from '@agentplane/contracts/engine';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The /execute metrics (the reference engine had no latency histograms at all). */
export interface RunMetrics {
  /** A turn ended: `completed`, `errored` or `cancelled`. */
  finished(status: string): void;
  /** Request received → thread.started appended. */
  firstEvent(seconds: number): void;
  /** Request received → first text or thinking delta. */
  firstToken(seconds: number): void;
  tool(name: string, seconds: number): void;
  tokens(usage: TokenUsage): void;
}

// Seconds; the low end resolves the ≤ 5 ms first-event target, the high end slow providers.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TOOL_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Registers the metrics on the app's registry (once per app). */
export function createRunMetrics(registry: Registry): RunMetrics {
  const registers = [registry];
  const executions = new Counter({
    name: 'engine_execute_total',
    help: 'Turns run by POST /execute, by how they ended',
    labelNames: ['status'] as const,
    registers,
  });
  const firstEvent = new Histogram({
    name: 'engine_time_to_first_event_seconds',
    help: 'From the /execute request to its thread.started event',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const firstToken = new Histogram({
    name: 'engine_time_to_first_token_seconds',
    help: 'From the /execute request to the first text or thinking delta',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const toolDuration = new Histogram({
    name: 'engine_tool_duration_seconds',
    help: 'Duration of one tool call, by tool',
    labelNames: ['tool'] as const,
    buckets: TOOL_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: 'engine_tokens_total',
    help: 'LLM tokens, by kind (input, output, cache_hit; cache_hit is part of input)',
    labelNames: ['kind'] as const,
    registers,
  });
  return {
    finished: (status) => executions.inc({ status }),
    firstEvent: (s) => firstEvent.observe(s),
    firstToken: (s) => firstToken.observe(s),
    tool: (name, s) => toolDuration.observe({ tool: name }, s),
    tokens(u) {
      tokens.inc({ kind: 'input' }, u.input_tokens);
      tokens.inc({ kind: 'output' }, u.output_tokens);
      tokens.inc({ kind: 'cache_hit' }, u.cache_hit_tokens);
    },
  };
}
