import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

// llama-orch's metrics contract (reference/llama-orch.md §4.1): names, types and label sets as
// it lints them. engine = the task's engine family, engine_version = the image it ran on.

const ENGINE_LABELS = ['engine', 'engine_version', 'pool_id', 'replica_id'] as const;

/** The data plane's series; created unregistered, put on the app's registry by `register`. */
export function createTaskMetrics() {
  const enqueued = new Counter({
    name: 'tasks_enqueued_total',
    help: 'Tasks admitted into a pool queue',
    labelNames: [...ENGINE_LABELS, 'priority'],
    registers: [],
  });
  const started = new Counter({
    name: 'tasks_started_total',
    help: 'Tasks dispatched to an engine',
    labelNames: [...ENGINE_LABELS, 'priority'],
    registers: [],
  });
  const canceled = new Counter({
    name: 'tasks_canceled_total',
    help: 'Tasks cancelled (reason: client)',
    labelNames: [...ENGINE_LABELS, 'reason'],
    registers: [],
  });
  const rejected = new Counter({
    name: 'tasks_rejected_total',
    help: 'Tasks refused at admission, by code',
    labelNames: ['engine', 'reason'],
    registers: [],
  });
  const backpressure = new Counter({
    name: 'admission_backpressure_events_total',
    help: 'Admissions that met a full queue, by policy',
    labelNames: ['engine', 'policy'],
    registers: [],
  });
  const tokensOut = new Counter({
    name: 'tokens_out_total',
    help: 'Tokens relayed to task streams',
    labelNames: [...ENGINE_LABELS],
    registers: [],
  });
  const firstToken = new Histogram({
    name: 'latency_first_token_ms',
    help: 'From dispatch to the first token, ms',
    labelNames: ['engine', 'engine_version', 'pool_id', 'priority'],
    buckets: [50, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000],
    registers: [],
  });
  const decode = new Histogram({
    name: 'latency_decode_ms',
    help: 'From the first token to the end, ms',
    labelNames: ['engine', 'engine_version', 'pool_id', 'priority'],
    buckets: [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000],
    registers: [],
  });
  return {
    enqueued,
    started,
    canceled,
    rejected,
    backpressure,
    tokensOut,
    firstToken,
    decode,
    /**
     * Registers every series on `registry` (so /metrics lists them at zero traffic), plus
     * `queue_depth`, read from the queue table at scrape time (every replica reports the same).
     */
    register(
      registry: Registry,
      depths: () => Promise<{ pool: string; priority: string; n: number }[]>,
    ): void {
      for (const metric of [
        enqueued,
        started,
        canceled,
        rejected,
        backpressure,
        tokensOut,
        firstToken,
        decode,
      ]) {
        registry.registerMetric(metric);
      }
      new Gauge({
        name: 'queue_depth',
        help: 'Tasks queued, by pool and priority',
        labelNames: ['engine', 'engine_version', 'pool_id', 'priority'],
        registers: [registry],
        async collect() {
          this.reset();
          for (const row of await depths()) {
            this.set({ pool_id: row.pool, priority: row.priority }, row.n);
          }
        },
      });
    },
  };
}
