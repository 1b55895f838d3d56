import type { Metrics } from '@agentplane/http-kit';
import { Counter, Gauge, Histogram } from 'prom-client';

/** What a worker reports about its work (sent to the API process, which serves /metrics). */
export type Observation =
  | { kind: 'job'; waitedMs: number }
  | { kind: 'step'; ms: number }
  | { kind: 'tool'; tool: string; ms: number; ok: boolean }
  | { kind: 'run'; outcome: 'completed' | 'failed' | 'cancelled' | 'handed_on' };

export interface MetricSources {
  queueCounts: () => Promise<Record<string, number>>;
  agentCounts: () => Promise<Record<string, number>>;
  /** recall@10 against exact search per query class (null until sampled), and sample counts */
  ragRecall: () => Record<string, { samples: number; recall_at_10: number | null }>;
}

const SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120];

/** agent-manager's own metrics; `observe` takes the workers' reports. */
export function createAmMetrics(metrics: Metrics, sources: MetricSources) {
  const registers = [metrics.registry];
  new Gauge({
    name: 'am_queue_jobs',
    help: 'Run jobs in the queue, by state',
    labelNames: ['state'],
    registers,
    async collect() {
      for (const [state, n] of Object.entries(await sources.queueCounts())) {
        this.set({ state }, n);
      }
    },
  });
  new Gauge({
    name: 'am_agents',
    help: 'Agents by status',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      for (const [status, n] of Object.entries(await sources.agentCounts())) {
        this.set({ status }, n);
      }
    },
  });
  new Gauge({
    name: 'am_rag_recall_at_10',
    help: 'RAG vector retrieval recall@10 against exact search, by query class (last 1,000 samples)',
    labelNames: ['class'],
    registers,
    collect() {
      this.reset();
      for (const [cls, { recall_at_10 }] of Object.entries(sources.ragRecall())) {
        if (recall_at_10 !== null) {
          this.set({ class: cls }, recall_at_10);
        }
      }
    },
  });
  new Gauge({
    name: 'am_rag_recall_samples',
    help: 'Queries re-run exactly to measure recall, by query class (last 1,000 kept)',
    labelNames: ['class'],
    registers,
    collect() {
      for (const [cls, { samples }] of Object.entries(sources.ragRecall())) {
        this.set({ class: cls }, samples);
      }
    },
  });
  const jobWait = new Histogram({
    name: 'am_job_wait_seconds',
    help: 'Enqueue to a worker starting the run',
    buckets: SECONDS,
    registers,
  });
  const step = new Histogram({
    name: 'am_step_duration_seconds',
    help: 'One step: model call and its tools',
    buckets: SECONDS,
    registers,
  });
  const tool = new Histogram({
    name: 'am_tool_duration_seconds',
    help: 'Tool calls by tool and outcome',
    labelNames: ['tool', 'outcome'],
    buckets: SECONDS,
    registers,
  });
  const runs = new Counter({
    name: 'am_runs_total',
    help: 'Runs ended, by outcome',
    labelNames: ['outcome'],
    registers,
  });
  return {
    observe(o: Observation): void {
      switch (o.kind) {
        case 'job':
          jobWait.observe(o.waitedMs / 1000);
          break;
        case 'step':
          step.observe(o.ms / 1000);
          break;
        case 'tool':
          tool.observe({ tool: o.tool, outcome: o.ok ? 'ok' : 'error' }, o.ms / 1000);
          break;
        case 'run':
          runs.inc({ outcome: o.outcome });
          break;
      }
    },
  };
}
