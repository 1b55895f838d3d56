import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RegisteredTool, ToolRegistry } from '@agentplane/agent-loop';
import { GatewayConfig, type GatewayConfigInput } from '@agentplane/contracts';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../brain/memory-store.js';
import { type Brain, openBrain } from '../brain/open-brain.js';
import { type Catalog, loadCatalog } from '../catalog/load-catalog.js';
import { createEngineTools, type EngineTools } from './engine-tools.js';

const sampleCatalog = fileURLToPath(new URL('../../../../catalog', import.meta.url));

let tmp: TmpDir;
let brain: Brain;
let catalog: Catalog;
let toolsFor: EngineTools;
let server: Server;
let other: Server;
let host: string;
let otherHost: string;
const logged: unknown[] = [];

const config = (input: GatewayConfigInput = {}) => GatewayConfig.parse(input);

/** Validates like the loop does (defaults filled in), then runs. */
async function call(
  tools: ToolRegistry,
  name: string,
  input: Record<string, unknown>,
  signal = new AbortController().signal,
) {
  const tool = tools.get(name) as RegisteredTool;
  expect(tool, `${name} in the registry`).toBeDefined();
  expect(tool.validate(input)).toBeUndefined();
  return (await tool.run(input, { signal, toolCallId: 'call_1' })) as Record<string, unknown>;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const s = createServer(handler);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

const portOf = (s: Server) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  tmp = await createTmpDir('engine-tools-');
  brain = openBrain(`${tmp.path}/brain.sqlite`);
  catalog = await loadCatalog(sampleCatalog);
  toolsFor = createEngineTools({
    memory: createMemoryStore(brain.db),
    catalog,
    logger: { info: (obj: unknown) => logged.push(obj) },
  });
  other = await listen((_req, res) => res.end('other host'));
  otherHost = `localhost:${portOf(other)}`;
  server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/json') {
      res.setHeader('set-cookie', 'secret=1');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ hello: 'world', method: req.method, accept: req.headers.accept }));
    } else if (url.pathname === '/big') {
      res.end('x'.repeat(200_000));
    } else if (url.pathname === '/hang') {
      // Never answers: the client's timeout must end it.
    } else if (url.pathname === '/redirect-same') {
      res.writeHead(302, { location: '/json' }).end();
    } else if (url.pathname === '/redirect-away') {
      res.writeHead(302, { location: `http://${otherHost}/` }).end();
    } else {
      res.writeHead(404).end('nope');
    }
  });
  host = `127.0.0.1:${portOf(server)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  server.close();
  other.close();
  brain.close();
  await tmp.remove();
});

describe('engine tools registry', () => {
  it('offers only implemented catalog tools and logs the others once at start', () => {
    const names = [...toolsFor(config()).keys()].sort();
    expect(names).toEqual(['http.fetch', 'memory.search', 'memory.write']);
    expect(logged).toEqual([{ tools: ['docs.query (rag)', 'shell.exec (builtin)'] }]);
    toolsFor(config());
    expect(logged).toHaveLength(1);
  });

  it('filters by the config allowlist (exact, ns.*, empty = none) and by the agent', () => {
    const names = (c: GatewayConfig, agent?: string) =>
      [...toolsFor(c, agent ? catalog.agents.get(agent) : undefined).keys()].sort();
    expect(names(config({ tools: { allowlist: ['memory.*'] } }))).toEqual([
      'memory.search',
      'memory.write',
    ]);
    expect(names(config({ tools: { allowlist: ['http.fetch'] } }))).toEqual(['http.fetch']);
    expect(names(config({ tools: { allowlist: [] } }))).toEqual([]);
    // writer: memory.search + memory.write; analyst: memory.search (docs.query, shell.exec absent).
    expect(names(config(), 'writer')).toEqual(['memory.search', 'memory.write']);
    expect(names(config(), 'analyst')).toEqual(['memory.search']);
    expect(names(config({ tools: { allowlist: ['memory.write'] } }), 'analyst')).toEqual([]);
  });

  it('memory.write then memory.search through the registry on a real brain', async () => {
    const tools = toolsFor(config());
    const written = await call(tools, 'memory.write', {
      content: 'The user prefers metric units',
      tags: ['profile'],
    });
    expect(written).toMatchObject({ stored: true, kind: 'longterm' });
    await call(tools, 'memory.write', { content: 'Session note about units', scope: 'session' });
    await call(tools, 'memory.write', { content: 'Unrelated: likes green tea' });

    const all = await call(tools, 'memory.search', { query: 'units' });
    expect((all.items as { content: string }[]).map((i) => i.content).sort()).toEqual([
      'Session note about units',
      'The user prefers metric units',
    ]);
    const tagged = await call(tools, 'memory.search', { query: 'units', tags: ['profile'] });
    expect(tagged.items).toEqual([
      expect.objectContaining({ id: written.id, content: 'The user prefers metric units' }),
    ]);
    const one = await call(tools, 'memory.search', { query: 'units', limit: 1 });
    expect(one.items).toHaveLength(1);
    // The schema's bounds are the loop's to enforce.
    expect(tools.get('memory.search')?.validate({ query: 'x', limit: 500 })).toMatch(/limit/);
  });
});

describe('http.fetch', () => {
  const fetchTools = (extra: Partial<GatewayConfigInput['http_fetch']> = {}) =>
    toolsFor(config({ http_fetch: { allowed_hosts: [host], ...extra } }));

  it('fetches from an allowlisted host:port and keeps a subset of headers', async () => {
    const result = await call(fetchTools(), 'http.fetch', {
      url: `http://${host}/json`,
      accept: 'application/json',
    });
    expect(result).toMatchObject({ status: 200, truncated: false, url: `http://${host}/json` });
    expect(JSON.parse(result.body as string)).toEqual({
      hello: 'world',
      method: 'GET',
      accept: 'application/json',
    });
    expect(result.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(result.headers).not.toHaveProperty('set-cookie');
    const missing = await call(fetchTools(), 'http.fetch', { url: `http://${host}/nope` });
    expect(missing).toMatchObject({ status: 404, body: 'nope' });
  });

  it('refuses hosts that are not allowlisted, other ports and other schemes', async () => {
    const none = toolsFor(config());
    await expect(call(none, 'http.fetch', { url: `http://${host}/json` })).rejects.toThrow(
      `http.fetch refused: host ${host} is not in the gateway config's http_fetch.allowed_hosts`,
    );
    const hostOnly = toolsFor(config({ http_fetch: { allowed_hosts: ['127.0.0.1'] } }));
    await expect(call(hostOnly, 'http.fetch', { url: `http://${host}/json` })).rejects.toThrow(
      /not in the gateway config/,
    );
    await expect(call(fetchTools(), 'http.fetch', { url: 'file:///etc/passwd' })).rejects.toThrow(
      /only http and https/,
    );
  });

  it('follows a redirect to an allowed host and refuses one to another host', async () => {
    const same = await call(fetchTools(), 'http.fetch', { url: `http://${host}/redirect-same` });
    expect(same).toMatchObject({ status: 200, url: `http://${host}/json` });
    await expect(
      call(fetchTools(), 'http.fetch', { url: `http://${host}/redirect-away` }),
    ).rejects.toThrow(`host ${otherHost} is not in the gateway config`);
    const both = toolsFor(config({ http_fetch: { allowed_hosts: [host, otherHost] } }));
    const away = await call(both, 'http.fetch', { url: `http://${host}/redirect-away` });
    expect(away).toMatchObject({ status: 200, body: 'other host' });
  });

  it('truncates a body over max_response_bytes', async () => {
    const result = await call(fetchTools({ max_response_bytes: 1000 }), 'http.fetch', {
      url: `http://${host}/big`,
    });
    expect(result).toMatchObject({ status: 200, truncated: true, bytes: 1000 });
    expect(result.body).toBe('x'.repeat(1000));
  });

  it('times out after http_fetch.timeout_ms', async () => {
    const started = performance.now();
    await expect(
      call(fetchTools({ timeout_ms: 200 }), 'http.fetch', { url: `http://${host}/hang` }),
    ).rejects.toThrow(`http.fetch timed out after 200 ms (${host})`);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('connects only to the addresses it checked: a name rebound to loopback is refused', async () => {
    // A resolver that answers a public address to the allowlist check and then loopback (where
    // the test server listens) to the connection: DNS rebinding.
    const port = portOf(server);
    let lookups = 0;
    const rebinding = async () => (lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']);
    const tools = createEngineTools({
      memory: createMemoryStore(brain.db),
      catalog,
      logger: { info: () => {} },
      resolve: rebinding,
    })(config({ http_fetch: { allowed_hosts: [`*.rebind.test:${port}`] } }));
    await expect(
      call(tools, 'http.fetch', { url: `http://a.rebind.test:${port}/json` }),
    ).rejects.toThrow(/http\.fetch refused: host a\.rebind\.test resolves to a private/);
    expect(lookups).toBe(2);
  });
});
