import { createMockLlm } from '@agentplane/agent-loop';
import { test } from '@agentplane/testkit';
import { describe, expect } from 'vitest';
import type { Capability } from './agent-tool.js';
import { createToolbox, type InvokeRequest, loopToolsFor } from './toolbox.js';

const AGENT = 'agt_0000000000aa';
const req = (
  tool: string,
  inputs: Record<string, unknown>,
  capabilities: Capability[],
): InvokeRequest => ({
  tool,
  inputs,
  agent_id: AGENT,
  step_id: 'step-1',
  capabilities,
});
const signal = () => new AbortController().signal;

describe('toolbox.invoke', () => {
  test('runs a tool the agent may use: file.write then file.read', async ({ tmpDir }) => {
    const toolbox = createToolbox({ filesRoot: tmpDir });
    expect([...toolbox.tools.keys()]).toEqual([
      'file.read',
      'file.write',
      'file.list',
      'db.query',
      'ai.complete',
      'http.fetch',
      'processor.run',
      'rag.query',
      'memory.read',
      'memory.write',
    ]);
    await toolbox.invoke(req('file.write', { path: 'a.txt', content: 'A' }, ['fs']), signal());
    await expect(
      toolbox.invoke(req('file.read', { path: 'a.txt' }, ['fs']), signal()),
    ).resolves.toMatchObject({
      output: { content: 'A', encoding: 'utf8' },
    });
  });

  test('NOT_FOUND, PERMISSION_DENIED, INVALID_INPUT (every issue), NOT_CONFIGURED', async ({
    tmpDir,
  }) => {
    const toolbox = createToolbox({ filesRoot: tmpDir });
    await expect(toolbox.invoke(req('shell.exec', {}, ['fs']), signal())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      toolbox.invoke(req('file.read', { path: 'a.txt' }, ['db', 'ai']), signal()),
    ).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      details: { capability: 'fs' },
    });
    const invalid = toolbox.invoke(req('file.write', { path: 7, extra: true }, ['fs']), signal());
    await expect(invalid).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const issues = (
      (await invalid.catch((e: { details: { issues: unknown[] } }) => e.details)) as {
        issues: unknown[];
      }
    ).issues;
    expect(issues.length).toBeGreaterThanOrEqual(3); // path type, content missing, extra property
    for (const [tool, capability, inputs] of [
      ['db.query', 'db', { sql: 'SELECT 1' }],
      ['ai.complete', 'ai', { prompt: 'hi' }],
      ['http.fetch', 'http', { url: 'https://example.com/' }],
      ['processor.run', 'processor', { processor: 'text/summarize@1', inputs: {} }],
    ] as const) {
      await expect(
        toolbox.invoke(req(tool, inputs, [capability]), signal()),
        tool,
      ).rejects.toMatchObject({
        code: 'NOT_CONFIGURED',
      });
    }
    await expect(
      createToolbox({}).invoke(req('file.list', {}, ['fs']), signal()),
    ).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
  });

  test('a tool past its timeout_ms → TIMEOUT', async () => {
    // The mock model streams 50 ms a token on #mock-slow: far past a 300 ms limit.
    const toolbox = createToolbox({
      llm: { client: createMockLlm(), model: 'mock' },
      limits: { aiTimeoutMs: 300 },
    });
    await expect(
      toolbox.invoke(
        req('ai.complete', { prompt: 'tell a long story #mock-slow' }, ['ai']),
        signal(),
      ),
    ).rejects.toMatchObject({ code: 'TIMEOUT', message: 'ai.complete timed out after 300 ms' });
  });

  test('a caller abort rejects with its reason, not a ToolError', async () => {
    const toolbox = createToolbox({ llm: { client: createMockLlm(), model: 'mock' } });
    const controller = new AbortController();
    const pending = toolbox.invoke(
      req('ai.complete', { prompt: 'story #mock-slow' }, ['ai']),
      controller.signal,
    );
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
  });
});

describe('loopToolsFor', () => {
  test('offers every tool; a missing capability answers permission_denied without running', async ({
    tmpDir,
  }) => {
    const toolbox = createToolbox({ filesRoot: tmpDir });
    const tools = loopToolsFor(toolbox, {
      agentId: AGENT,
      capabilities: ['fs'],
      stepId: () => '3',
    });
    expect(tools.map((t) => [t.entry.definition.name, t.sideEffecting])).toEqual([
      ['file.read', false],
      ['file.write', true],
      ['file.list', false],
      ['db.query', false],
      ['ai.complete', false],
      ['http.fetch', true],
      ['processor.run', true],
      ['rag.query', false],
      ['memory.read', false],
      ['memory.write', true],
    ]);
    const byName = new Map(tools.map((t) => [t.entry.definition.name, t.entry]));
    const ctx = { signal: signal(), toolCallId: 'call_9' };
    await expect(byName.get('db.query')?.run({ sql: 'SELECT 1' }, ctx)).resolves.toEqual({
      error: 'permission_denied',
      capability: 'db',
    });
    await byName.get('file.write')?.run({ path: 'x.txt', content: 'x' }, ctx);
    await expect(byName.get('file.read')?.run({ path: 'x.txt' }, ctx)).resolves.toMatchObject({
      content: 'x',
    });
    // A refusal reaches the model with its code.
    await expect(byName.get('file.read')?.run({ path: '../y' }, ctx)).rejects.toThrow(
      /^PATH_OUTSIDE_ROOT: /,
    );
  });
});
