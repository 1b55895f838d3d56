import { Counter, Gauge, type Registry } from 'prom-client';

// llama-orch's catalog series (reference/llama-orch.md §1.3): every verification counted by
// result and reason, and one model_state gauge per entry (1 in its state).

/** Created unregistered; `register` puts them on the app's registry. */
export function createCatalogMetrics() {
  const verifications = new Counter({
    name: 'catalog_verifications_total',
    help: 'Image digest checks (create, verify, seed), by result and reason',
    labelNames: ['result', 'reason', 'engine'],
    registers: [],
  });
  return {
    verifications,
    register(
      registry: Registry,
      entries: () => Promise<readonly { id: string; state: string }[]>,
    ): void {
      registry.registerMetric(verifications);
      new Gauge({
        name: 'model_state',
        help: 'Catalog entries: 1 for the state each is in',
        labelNames: ['model_id', 'state'],
        registers: [registry],
        async collect() {
          this.reset();
          for (const entry of await entries()) {
            this.set({ model_id: entry.id, state: entry.state }, 1);
          }
        },
      });
    },
  };
}
