/** What a comparison needs of a result row. */
type Keyed = { key: number };

export type QueryClass = 'unfiltered' | 'filtered';

export interface RecallStats {
  samples: number;
  recall_at_10: number | null;
}

const WINDOW = 1000;

/**
 * Recall@10 of served vector results against exact search, per query class, over the last
 * 1,000 samples of each: the figure users ask for and peers never report. A sampled query is
 * re-run exactly off the request path, one at a time (an exact scan is the expensive part).
 */
export function createRecallSampler(opts: {
  rate: number;
  exact: (cls: QueryClass, run: () => Promise<Keyed[]>) => Promise<Keyed[]>;
  onError: (err: unknown) => void;
  random?: () => number;
}) {
  const windows: Record<QueryClass, number[]> = { unfiltered: [], filtered: [] };
  const random = opts.random ?? Math.random;
  let busy: Promise<void> = Promise.resolve();
  let pending = 0;

  const record = (cls: QueryClass, value: number) => {
    const window = windows[cls];
    window.push(value);
    if (window.length > WINDOW) {
      window.shift();
    }
  };

  return {
    /** Maybe schedules a comparison of `served` (the vector part's top results) with exact. */
    offer(cls: QueryClass, served: readonly Keyed[], exact: () => Promise<Keyed[]>): void {
      // A queue of 100 waiting comparisons is plenty; beyond it samples are skipped, not queued.
      if (opts.rate <= 0 || random() >= opts.rate || pending >= 100) {
        return;
      }
      pending += 1;
      busy = busy
        .then(async () => {
          const truth = (await opts.exact(cls, exact)).slice(0, 10);
          if (truth.length === 0) {
            return;
          }
          const got = new Set(served.slice(0, 10).map((hit) => hit.key));
          record(cls, truth.filter((hit) => got.has(hit.key)).length / truth.length);
        })
        .catch(opts.onError)
        .finally(() => {
          pending -= 1;
        });
    },
    stats(): Record<QueryClass, RecallStats> {
      const of = (cls: QueryClass): RecallStats => {
        const window = windows[cls];
        return {
          samples: window.length,
          recall_at_10:
            window.length === 0 ? null : window.reduce((a, b) => a + b, 0) / window.length,
        };
      };
      return { unfiltered: of('unfiltered'), filtered: of('filtered') };
    },
    /** Resolves once every scheduled comparison is done (tests, benches). */
    settled(): Promise<void> {
      return busy;
    },
  };
}
