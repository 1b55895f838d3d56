/**
 * A worker's concurrency as slots that runs take by weight (an agent's `resources.cpu`): a run
 * of weight 2 waits until two are free. Waiters are served in arrival order, so a heavy run is
 * not starved by light ones arriving after it. A weight over the total is clamped to it.
 */
export function createWeightedSlots(total: number) {
  let free = total;
  const waiting: Array<{ weight: number; wake: () => void }> = [];
  const serve = () => {
    while (waiting.length > 0 && (waiting[0]?.weight ?? 0) <= free) {
      const next = waiting.shift() as (typeof waiting)[0];
      free -= next.weight;
      next.wake();
    }
  };
  const clamp = (weight: number) => Math.min(total, Math.max(1, Math.floor(weight)));
  return {
    async take(weight: number): Promise<number> {
      const taken = clamp(weight);
      if (waiting.length === 0 && taken <= free) {
        free -= taken;
        return taken;
      }
      await new Promise<void>((wake) => waiting.push({ weight: taken, wake }));
      return taken;
    },
    give(taken: number): void {
      free += taken;
      serve();
    },
    free: () => free,
  };
}
