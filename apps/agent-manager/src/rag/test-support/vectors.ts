import type { ChunkInput } from '../store.js';
import { prng } from './corpus.js';

// Test-only: seeded clustered vectors like the measurements in shared/reference/vector-stores.md.

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) {
    sum += x * x;
  }
  const norm = Math.sqrt(sum) || 1;
  return v.map((x) => x / norm);
}

export interface Clusters {
  /** a point near a random cluster centre, unit length */
  sample(): Float32Array;
  random(): number;
}

export function clusters(dim: number, count: number, spread: number, seed: number): Clusters {
  const random = prng(seed);
  const gaussian = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const centres = Array.from({ length: count }, () =>
    normalize(Float32Array.from({ length: dim }, gaussian)),
  );
  return {
    random,
    sample() {
      const centre = centres[Math.floor(random() * count)] as Float32Array;
      return normalize(centre.map((x) => x + (gaussian() * spread) / Math.sqrt(dim)));
    },
  };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += (a[i] as number) * (b[i] as number);
  }
  return sum;
}

/** Exact top-k ids by cosine (rows are unit length). */
export function bruteForce(rows: readonly ChunkInput[], query: Float32Array, k: number): string[] {
  return rows
    .map((row) => ({ id: row.id, score: dot(row.embedding, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((row) => row.id);
}
