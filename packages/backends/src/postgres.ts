import pg from 'pg';

/**
 * A node-postgres pool whose connections never take the process down. pg emits `error` on a
 * client whose server session ends (a Postgres restart, `pg_terminate_backend`, a network cut);
 * the pool handles that only for idle clients, and an `error` event with no listener on a
 * checked-out client (a long transaction, a held advisory lock) is an uncaught exception. Here
 * every client gets `onError`; the query in flight still fails with the error.
 */
export function createPgPool(config: pg.PoolConfig, onError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', onError);
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  return pool;
}
