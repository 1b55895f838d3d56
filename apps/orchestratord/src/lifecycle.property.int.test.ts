import { createTmpDir, postgresVariant, probeDocker, requireService } from '@agentplane/testkit';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEngineBundle, buildEngineImage } from './drivers/driver-test-support.js';
import { type Client, type PropertyFleet, startPropertyFleet } from './property-fleet.js';
import { cleanupAfterAll, ORCH_PG_SCHEMA } from './test-orchestrator.js';

// Random sequences of operations and faults — engines killed, a replica SIGKILLed, two
// replicas acting on one engine at once — against two real orchestratord processes on
// Postgres, once per driver. After each sequence the fleet must settle to: every audit trail a
// legal path through the transition table, no engine on the host without a row, no running row
// without a live engine answering its current key, that key the last one the API handed out,
// and no 500 on the way. ORCH_PROPERTY_RUNS raises the number of sequences (default 3).

const cleanup = cleanupAfterAll();
const RUNS = Number(process.env.ORCH_PROPERTY_RUNS ?? 3);
const USERS = ['u0', 'u1'] as const;

type ApiOp = 'provision' | 'start' | 'stop' | 'sleep' | 'admit' | 'destroy' | 'rotate';
type Command =
  | { kind: 'api'; op: ApiOp; user: string; replica: 0 | 1 }
  | { kind: 'concurrent'; a: ApiOp; b: ApiOp; user: string }
  | { kind: 'kill-engine'; user: string }
  | { kind: 'kill-replica'; replica: 0 | 1 };

const apiOp = fc.constantFrom<ApiOp>(
  'provision',
  'start',
  'stop',
  'sleep',
  'admit',
  'destroy',
  'rotate',
);
const user = fc.constantFrom(...USERS);
const replica = fc.constantFrom<0 | 1>(0, 1);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('api' as const), op: apiOp, user, replica }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('concurrent' as const), a: apiOp, b: apiOp, user }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill-engine' as const), user }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill-replica' as const), replica }) },
);

/** Runs one API operation; returns its status and the engine key it handed out, if any. */
async function call(
  api: Client,
  op: ApiOp,
  userId: string,
): Promise<{ status: number; key?: string }> {
  const params = { user_id: userId };
  switch (op) {
    case 'provision': {
      const res = await api.provisionEngine({ body: { user_id: userId } });
      return res.status === 201
        ? { status: 201, key: res.body.engine_key }
        : { status: res.status };
    }
    case 'start':
      return { status: (await api.startEngine({ params })).status };
    case 'stop':
      return { status: (await api.stopEngine({ params })).status };
    case 'sleep':
      return { status: (await api.sleepEngine({ params })).status };
    case 'admit':
      return { status: (await api.admitEngine({ params, body: {} })).status };
    case 'destroy':
      return { status: (await api.destroyEngine({ params })).status };
    case 'rotate': {
      const res = await api.rotateEngineKey({ params });
      return res.status === 200
        ? { status: 200, key: res.body.engine_key }
        : { status: res.status };
    }
  }
}

/** Runs the sequence, keeping track of the keys the API handed out per user. */
async function run(
  fleet: PropertyFleet,
  commands: Command[],
  keys: Map<string, Set<string> | undefined>,
) {
  const errors: string[] = [];
  const apply = (userId: string, op: ApiOp, results: { status: number; key?: string }[]) => {
    for (const r of results) {
      if (r.status >= 500 && r.status !== 502 && r.status !== 504) {
        errors.push(`${op} ${userId}: ${r.status}`);
      }
    }
    const handed = results.flatMap((r) => (r.key === undefined ? [] : [r.key]));
    if (handed.length > 0) {
      keys.set(userId, new Set(handed));
    } else if (op === 'destroy' && results.some((r) => r.status === 200)) {
      keys.delete(userId);
    }
  };
  for (const c of commands) {
    if (c.kind === 'api') {
      apply(c.user, c.op, [await call(fleet.api(c.replica), c.op, c.user)]);
    } else if (c.kind === 'concurrent') {
      const [a, b] = await Promise.all([
        call(fleet.api(0), c.a, c.user),
        call(fleet.api(1), c.b, c.user),
      ]);
      apply(c.user, c.a, [a]);
      apply(c.user, c.b, [b]);
      const handed = [a, b].flatMap((r) => (r.key === undefined ? [] : [r.key]));
      if (handed.length === 2) {
        keys.set(c.user, new Set(handed));
      }
    } else if (c.kind === 'kill-engine') {
      const got = await fleet.api(0).getEngine({ params: { user_id: c.user } });
      if (got.status === 200) {
        await fleet.killEngine(got.body.engine_id);
      }
    } else {
      await fleet.killReplica(c.replica);
      // A provision cut short by the kill may be adopted by reconcile with a key never shown.
      for (const u of USERS) {
        keys.set(u, undefined);
      }
    }
  }
  return errors;
}

async function settled(fleet: PropertyFleet, keys: Map<string, Set<string> | undefined>) {
  const deadline = Date.now() + 45_000;
  let problems = await fleet.problems(keys);
  while (problems.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    problems = await fleet.problems(keys);
  }
  return problems;
}

const variants = [
  {
    name: 'process driver',
    ports: [22000, 22049] as const,
    driverEnv: async () => ({
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, await buildEngineBundle()]),
    }),
  },
  {
    name: 'docker driver',
    ports: [22050, 22099] as const,
    driverEnv: async () => ({
      ORCH_DRIVER: 'docker',
      DOCKER_HOST: process.env.DOCKER_HOST ?? '',
      ORCH_ENGINE_IMAGE: await buildEngineImage(),
    }),
  },
];

describe.each(variants)('the lifecycle under random operations and faults, $name', (variant) => {
  it('keeps every trail legal and the fleet consistent', async (ctx) => {
    const db = requireService(
      await postgresVariant(process.env.DATABASE_URL).open(ORCH_PG_SCHEMA),
      ctx,
    );
    cleanup(() => db.close());
    const docker =
      variant.name === 'docker driver'
        ? requireService(await probeDocker(process.env.DOCKER_HOST), ctx)
        : undefined;
    const dir = await createTmpDir('orch-prop-');
    cleanup(() => dir.remove());
    const fleet = await startPropertyFleet({
      db,
      dataDir: dir.path,
      driverEnv: await variant.driverEnv(),
      ports: variant.ports,
      ...(docker === undefined ? {} : { docker }),
    });
    cleanup(() => fleet.close());
    const keys = new Map<string, Set<string> | undefined>();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 8 }), async (random) => {
        // Both users get an engine first (if they have none), so the rest acts on something.
        const commands: Command[] = [
          ...USERS.map((u) => ({
            kind: 'api' as const,
            op: 'provision' as const,
            user: u,
            replica: 0 as const,
          })),
          ...random,
        ];
        const errors = await run(fleet, commands, keys);
        const problems = await settled(fleet, keys);
        expect({ commands, errors, problems }).toEqual({ commands, errors: [], problems: [] });
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 900_000);
});
