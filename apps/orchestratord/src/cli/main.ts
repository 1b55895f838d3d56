import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  ClientError,
  createClient,
  EngineStatus,
  orchestratordRoutes,
} from '@agentplane/contracts';
import {
  CommandError,
  fleetStatus,
  listEngines,
  type OrchClient,
  type Output,
  registerProduct,
  setPolicy,
  showEngine,
  tailAudit,
} from './commands.js';

// orchestratorctl: argv → one command of commands.ts. Exit codes: 0 ok, 1 the API (or the
// network) said no, 2 the command line is wrong.

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const USAGE = `usage: orchestratorctl <command> [options]

commands:
  register-product --slug s --name "Display" [--max-engines N] [--rate-limit-rpm N] [--auto-provision]
                   (admin key) prints product_id and the platform key — shown this once only
  set-policy --product-id id [--max-engines N] [--rate-limit-rpm N] [--auto-provision]
                   (admin key) replaces the whole policy: a limit left out is removed
  engines [--status S] [--all]       (platform key) the product's engines; --all follows pages
  engine <user_id> [--show-key]      (platform key) one engine; its key only with --show-key
  audit [--user u] [--after N] [--follow]
                   (platform key) the audit log; --follow polls every second (Ctrl-C ends)
  status                             (platform key) fleet counts

global options:
  --url URL              ORCH_URL, default http://127.0.0.1:8080
  --admin-key KEY        ORCH_ADMIN_KEY, default admin_key of
                         {ORCH_DATA_DIR or <repo>/.data/orchestratord}/secrets.json (dev server)
  --platform-key KEY     ORCH_PLATFORM_KEY
  --json                 JSON output (NDJSON for audit)
  -h, --help
`;

type Options = NonNullable<ParseArgsConfig['options']>;

const GLOBAL = {
  url: { type: 'string' },
  'admin-key': { type: 'string' },
  'platform-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

const POLICY = {
  'max-engines': { type: 'string' },
  'rate-limit-rpm': { type: 'string' },
  'auto-provision': { type: 'boolean' },
} as const satisfies Options;

const COMMANDS = {
  'register-product': { slug: { type: 'string' }, name: { type: 'string' }, ...POLICY },
  'set-policy': { 'product-id': { type: 'string' }, ...POLICY },
  engines: { status: { type: 'string' }, all: { type: 'boolean' } },
  engine: { 'show-key': { type: 'boolean' } },
  audit: { user: { type: 'string' }, after: { type: 'string' }, follow: { type: 'boolean' } },
  status: {},
} as const satisfies Record<string, Options>;
type CommandName = keyof typeof COMMANDS;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Ends `audit --follow` (the bin wires it to SIGINT). */
  signal?: AbortSignal;
}

class UsageError extends Error {}

/** The command is the first argument that is neither a flag nor a global flag's value. */
function splitCommand(argv: readonly string[]): { command?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) {
      return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    }
    const name = arg.replace(/^--?/, '');
    if (!arg.includes('=') && GLOBAL[name as keyof typeof GLOBAL]?.type === 'string') {
      i++;
    }
  }
  return { rest: [...argv] };
}

function intFlag(flag: string, value: string | undefined, min: 0 | 1): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${flag} expects an integer ≥ ${min}, got "${value}"`);
  }
  return n;
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new UsageError(`--${flag} is required`);
  }
  return value;
}

function devAdminKey(env: CliIo['env']): string | undefined {
  const dataDir = env.ORCH_DATA_DIR ?? join(REPO_ROOT, '.data', 'orchestratord');
  try {
    const stored = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as unknown;
    const key = (stored as { admin_key?: unknown } | null)?.admin_key;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

function client(url: string, header: string, key: string): OrchClient {
  return createClient(orchestratordRoutes, { baseUrl: url, headers: () => ({ [header]: key }) });
}

/** Runs one command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`orchestratorctl: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof CommandError) {
      const id =
        error.correlationId === undefined ? '' : ` (correlation_id ${error.correlationId})`;
      io.stderr(`orchestratorctl: ${error.code}: ${error.message}${id}\n`);
      return 1;
    }
    if (error instanceof ClientError) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED…) is one cause further down.
      const reason = (error.details.cause as { cause?: { message?: unknown } } | undefined)?.cause
        ?.message;
      const why = typeof reason === 'string' ? ` (${reason})` : '';
      io.stderr(`orchestratorctl: ${error.kind.toUpperCase()}: ${error.message}${why}\n`);
      return 1;
    }
    throw error;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const { command, rest } = splitCommand(argv);
  if (command === 'help' || (command === undefined && rest.some((a) => /^(-h|--help)$/.test(a)))) {
    io.stdout(USAGE);
    return 0;
  }
  if (command === undefined) {
    throw new UsageError('no command');
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  const name = command as CommandName;
  const options: Options = { ...GLOBAL, ...COMMANDS[name] };
  let parsed: ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({
      args: rest,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const str = (flag: string) => values[flag] as string | undefined;
  const bool = (flag: string) => values[flag] === true;
  if (bool('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const positionals = parsed.positionals;
  if (name !== 'engine' && positionals.length > 0) {
    throw new UsageError(`${name} takes no arguments (got "${positionals.join(' ')}")`);
  }

  const url = str('url') ?? io.env.ORCH_URL ?? 'http://127.0.0.1:8080';
  const out: Output = { write: io.stdout, json: bool('json') };
  const policy = () => ({
    maxEngines: intFlag('max-engines', str('max-engines'), 1),
    rateLimitRpm: intFlag('rate-limit-rpm', str('rate-limit-rpm'), 1),
    autoProvision: bool('auto-provision'),
  });
  const admin = () => {
    const key = str('admin-key') ?? io.env.ORCH_ADMIN_KEY ?? devAdminKey(io.env);
    if (key === undefined) {
      throw new UsageError(
        `${name} needs the admin key: --admin-key, ORCH_ADMIN_KEY, or the dev server's secrets.json`,
      );
    }
    return client(url, 'x-admin-key', key);
  };
  const platform = () => {
    const key = str('platform-key') ?? io.env.ORCH_PLATFORM_KEY;
    if (key === undefined) {
      throw new UsageError(`${name} needs a platform key: --platform-key or ORCH_PLATFORM_KEY`);
    }
    return client(url, 'x-platform-key', key);
  };

  switch (name) {
    case 'register-product': {
      const opts = { slug: required('slug', str('slug')), name: required('name', str('name')) };
      await registerProduct(admin(), out, { ...opts, ...policy() });
      break;
    }
    case 'set-policy': {
      const productId = required('product-id', str('product-id'));
      await setPolicy(admin(), out, { productId, ...policy() });
      break;
    }
    case 'engines': {
      const status = str('status');
      const parsedStatus = status === undefined ? undefined : EngineStatus.safeParse(status);
      if (parsedStatus !== undefined && !parsedStatus.success) {
        throw new UsageError(`--status must be one of ${EngineStatus.options.join(', ')}`);
      }
      await listEngines(platform(), out, { status: parsedStatus?.data, all: bool('all') });
      break;
    }
    case 'engine': {
      const [userId, ...extra] = positionals;
      if (userId === undefined || extra.length > 0) {
        throw new UsageError('engine takes exactly one <user_id>');
      }
      await showEngine(platform(), out, { userId, showKey: bool('show-key') });
      break;
    }
    case 'audit': {
      await tailAudit(platform(), out, {
        userId: str('user'),
        after: intFlag('after', str('after'), 0),
        follow: bool('follow'),
        signal: io.signal,
      });
      break;
    }
    case 'status':
      await fleetStatus(platform(), out);
      break;
  }
  return 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  try {
    return entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

/** What the bin (and `pnpm ctl`) run: real stdio, env, SIGINT ends --follow with exit 0. */
export async function runMain(): Promise<number> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await runCli(process.argv.slice(2), {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
      env: process.env,
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (isEntryPoint()) {
  process.exitCode = await runMain();
}
