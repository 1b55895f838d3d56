import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createLocalEmbedder } from '@agentplane/agent-manager/rag-bench-support';
import { round } from '../harness.js';
import { latency, sleep } from './common.js';

// The rag bench's ground truth and baseline: every chunk's vector read back from the service's
// SQLite file, and an exact brute-force top-10 over them in this process.

/** The service's local embedder, for the queries' vectors on this side. */
export const embedder = createLocalEmbedder(384);

export interface Loaded {
  ids: string[];
  tenants: string[];
  vectors: Float32Array;
}

/** Every rag chunk's id, tenant and vector, read from the service's SQLite file (read-only). */
export function loadSqlite(dataDir: string): Loaded {
  const db = new DatabaseSync(join(dataDir, 'rag.sqlite'), { readOnly: true });
  try {
    const rows = db
      .prepare("SELECT id, metadata, embedding FROM chunks WHERE collection = 'rag' ORDER BY rowid")
      .all() as { id: string; metadata: string; embedding: Uint8Array }[];
    const vectors = new Float32Array(rows.length * 384);
    rows.forEach((row, i) => {
      vectors.set(new Float32Array(row.embedding.buffer, row.embedding.byteOffset, 384), i * 384);
    });
    return {
      ids: rows.map((r) => r.id),
      tenants: rows.map((r) => String(JSON.parse(r.metadata).tenant)),
      vectors,
    };
  } finally {
    db.close();
  }
}

/** Exact top-10 by dot product (vectors are unit length): the baseline and the ground truth. */
export function bruteForce(data: Loaded, query: Float32Array, tenant?: string): string[] {
  const top: { i: number; s: number }[] = [];
  const n = data.ids.length;
  for (let i = 0; i < n; i += 1) {
    if (tenant !== undefined && data.tenants[i] !== tenant) {
      continue;
    }
    let s = 0;
    const base = i * 384;
    for (let d = 0; d < 384; d += 1) {
      s += (data.vectors[base + d] as number) * (query[d] as number);
    }
    if (top.length < 10 || s > (top[top.length - 1] as { s: number }).s) {
      top.push({ i, s });
      top.sort((a, b) => b.s - a.s);
      if (top.length > 10) {
        top.pop();
      }
    }
  }
  return top.map((t) => data.ids[t.i] as string);
}

/** Recall@10 of served result ids against the exact scan; computed after the timed loop. */
export async function recallOf(
  data: Loaded,
  asked: { text: string; tenant?: string; got: string[] }[],
) {
  let recall = 0;
  for (const { text, tenant, got } of asked) {
    // Lets the client's pool see the server close idle keep-alive sockets meanwhile; a blocked
    // loop would send the next query on a socket already closed ("other side closed").
    await sleep(0);
    const [vector] = await embedder.embed([text]);
    const truth = bruteForce(data, vector as Float32Array, tenant);
    const found = new Set(got);
    // Nothing to find (a tenant without rows here) and nothing found: full recall.
    const share =
      truth.length === 0
        ? found.size === 0
          ? 1
          : 0
        : truth.filter((id) => found.has(id)).length / truth.length;
    recall += share / asked.length;
  }
  return round(recall, 3);
}

/** The exact JS scan's own time per query (no HTTP, no embedding): what an index must beat. */
export function baseline(data: Loaded, queryVectors: readonly Float32Array[]) {
  const unfiltered: number[] = [];
  const filtered: number[] = [];
  for (const [q, vector] of queryVectors.entries()) {
    let t = performance.now();
    bruteForce(data, vector);
    unfiltered.push(performance.now() - t);
    t = performance.now();
    bruteForce(data, vector, `t${q % 20}`);
    filtered.push(performance.now() - t);
  }
  return { exact_js_ms: latency(unfiltered), exact_js_filtered_ms: latency(filtered) };
}
