import {
  CLIENT_VERSION,
  ClientError,
  createEngineClient,
  createOrchestratordClient,
  DOCUMENT_VERSIONS,
  type EngineEvent,
  executeWithResume,
  isTerminalEvent,
} from '@agentplane/client';

const orchUrl = process.env.ORCH_URL ?? 'http://127.0.0.1:8080';
const userId = process.env.USER_ID ?? 'alice';

// 1. Your platform key. The operator registers your product once (with ORCH_ADMIN_KEY) and hands
//    you the key; here we register it ourselves when given the admin key.
async function platformKey(): Promise<string> {
  if (process.env.ORCH_PLATFORM_KEY !== undefined) {
    return process.env.ORCH_PLATFORM_KEY;
  }
  const admin = createOrchestratordClient({
    baseUrl: orchUrl,
    adminKey: process.env.ORCH_ADMIN_KEY ?? '',
  });
  const res = await admin.registerProduct({
    body: { slug: `demo-${Date.now()}`, display_name: 'Demo' },
  });
  if (res.status !== 201) {
    throw new Error(`registerProduct: ${res.status} ${res.body.error.code}`);
  }
  return res.body.platform_key; // shown once: keep it in your secrets store
}

const orch = createOrchestratordClient({ baseUrl: orchUrl, platformKey: await platformKey() });

// 2. Give the user an engine (once), then admit on every request: admit answers the engine's
//    url and key, waking a sleeping engine on the way.
const provisioned = await orch.provisionEngine({ body: { user_id: userId } });
if (provisioned.status !== 201 && provisioned.status !== 409) {
  throw new Error(`provisionEngine: ${provisioned.status} ${provisioned.body.error.message}`);
}
const admit = await orch.admitEngine({ params: { user_id: userId }, body: {} });
if (admit.status !== 200) {
  throw new Error(`admitEngine: ${admit.status} ${admit.body.error.code}`);
}
if (!admit.body.admitted) {
  throw new Error(`not admitted: ${admit.body.reason}`); // e.g. engine_not_found
}
const engine = createEngineClient({ baseUrl: admit.body.url, engineKey: admit.body.engine_key });

// 3. Stream one turn. Events are typed (a union discriminated on `event`) and validated.
const taskId = `task-${Date.now()}`;
const first = await engine.execute({ body: { message: 'Say hello.', task_id: taskId } });
if (first.status !== 200) {
  throw new Error(`execute: ${first.status} ${first.body.error.code}`);
}
const events: EngineEvent[] = [];
for await (const event of first.events) {
  events.push(event);
  if (event.event === 'thread.started') {
    break; // leave early, as a dropped connection would: the turn goes on without us
  }
}

// 4. Resume where we left off: replay sends only the events after Last-Event-ID, then follows
//    the turn live until its terminal event.
const replay = await engine.replayExecution(
  { query: { task_id: taskId } },
  { lastEventId: first.lastEventId() ?? '0' },
);
if (replay.status !== 200) {
  throw new Error(`replayExecution: ${replay.status} ${replay.body.error.code}`);
}
let text = '';
for await (const event of replay.events) {
  events.push(event);
  if (event.event === 'text_delta') {
    text += event.text;
  }
  if (isTerminalEvent(event)) {
    break;
  }
}

// 5. Or let the client resume for you: executeWithResume reconnects with Last-Event-ID whenever
//    the stream drops before its terminal event.
const next = await executeWithResume(engine, {
  body: { message: 'And again.', task_id: taskId, max_turns: 4 },
});
let terminal: EngineEvent | undefined;
if (next.status === 200) {
  for await (const event of next.events) {
    terminal = event;
  }
}

// 6. Errors. A status the contract declares is a value: check `status`, read the envelope.
const wrongKey = createEngineClient({ baseUrl: admit.body.url, engineKey: 'sk-wrong' });
const denied = await wrongKey.execute({ body: { message: 'hi', task_id: taskId } });
const deniedCode = denied.status === 401 ? denied.body.error.code : undefined;
// Anything else (no connection, an undeclared status, a reply that breaks the contract) throws
// a ClientError whose `kind` says which.
let failure: string | undefined;
try {
  await createEngineClient({ baseUrl: 'http://127.0.0.1:9', engineKey: 'sk-x' }).getHealth();
} catch (error) {
  if (!(error instanceof ClientError)) {
    throw error;
  }
  failure = `${error.kind} (${error.details.operationId})`;
}

// 7. Done with the user: destroy the engine (its brain goes with it).
const destroyed = await orch.destroyEngine({ params: { user_id: userId } });

process.stdout.write(
  `${JSON.stringify({
    client: CLIENT_VERSION,
    documents: DOCUMENT_VERSIONS,
    events: events.map((e) => `${e.seq}:${e.event}`),
    text,
    next: terminal?.event,
    denied: deniedCode,
    failure,
    destroyed: destroyed.status,
  })}\n`,
);
