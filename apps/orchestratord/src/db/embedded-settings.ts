/**
 * Postgres settings for the embedded PGlite (the zero-config path; production runs Postgres).
 * PGlite's WASM Postgres zeroes its whole buffer pool at start, so `shared_buffers` is resident
 * memory from the first second: its default 128 MB was a fifth of an idle orchestratord
 * (measured idle, bundle, process driver: 336 MB RSS at the defaults, ~240 MB with these). A
 * fleet's tables are a few MB, so 8 MB still holds them whole. fsync is already off in PGlite.
 */
export const EMBEDDED_PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '8MB',
  // 1/32 of shared_buffers by default; one small transaction at a time needs little.
  wal_buffers: '256kB',
  // Single-user mode serves one session; the default 100 sizes lock and process tables for 100.
  max_connections: '8',
};
