import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `fn` in one IMMEDIATE transaction: all of its writes land, or none do. IMMEDIATE takes the
 * write lock up front, so a concurrent writer fails fast instead of deadlocking on upgrade.
 * Inside an open transaction it simply joins it, so store methods compose.
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) {
    return fn();
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
