import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@agentplane/http-kit';
import { z } from 'zod';

const Stored = z.object({ admin_key: z.string().min(16), master_key: z.string().length(64) });

/**
 * Outside production, a missing ORCH_ADMIN_KEY / ORCH_MASTER_KEY is generated once and kept in
 * {dataDir}/secrets.json (mode 0600), so `pnpm dev` needs no setup and engine keys sealed
 * yesterday still open today. Production refuses to start without both (config.ts).
 */
function loadDevSecrets(dataDir: string): { adminKey: string; masterKey: Buffer; path: string } {
  const path = join(dataDir, 'secrets.json');
  let stored: z.infer<typeof Stored>;
  try {
    stored = Stored.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${path} is unreadable or malformed; delete it to generate new dev secrets`, {
        cause: error,
      });
    }
    stored = {
      admin_key: `ak-${randomBytes(24).toString('base64url')}`,
      master_key: randomBytes(32).toString('hex'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
  return { adminKey: stored.admin_key, masterKey: Buffer.from(stored.master_key, 'hex'), path };
}

/** The configured admin and master keys, or the development ones where either is unset. */
export function resolveSecrets(
  config: {
    ORCH_ADMIN_KEY?: string | undefined;
    ORCH_MASTER_KEY?: Buffer | undefined;
    ORCH_DATA_DIR: string;
  },
  logger: Logger,
): { adminKey: string; masterKey: Buffer } {
  if (config.ORCH_ADMIN_KEY !== undefined && config.ORCH_MASTER_KEY !== undefined) {
    return { adminKey: config.ORCH_ADMIN_KEY, masterKey: config.ORCH_MASTER_KEY };
  }
  const dev = loadDevSecrets(config.ORCH_DATA_DIR);
  logger.warn(
    { path: dev.path },
    'using development secrets (admin and/or master key) from this file',
  );
  return {
    adminKey: config.ORCH_ADMIN_KEY ?? dev.adminKey,
    masterKey: config.ORCH_MASTER_KEY ?? dev.masterKey,
  };
}
