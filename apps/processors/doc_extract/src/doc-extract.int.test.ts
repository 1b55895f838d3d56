import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessorEnvelope } from '@agentplane/contracts';
import { type StartedProcessor, spawnProcessor } from '@agentplane/processor-kit/contract-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from './testing/make-pdf.js';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('doc/extract over HTTP', () => {
  let tmp: string;
  let processor: StartedProcessor;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'doc-extract-'));
    await mkdir(join(tmp, 'in'));
    await writeFile(
      join(tmp, 'in', 'report.pdf'),
      await makePdf(['Quarterly report.', 'Revenue grew.']),
    );
    await writeFile(join(tmp, 'secret.txt'), 'outside');
    await symlink(join(tmp, 'secret.txt'), join(tmp, 'in', 'link.txt'));
    processor = await spawnProcessor({ entry, env: { DOC_EXTRACT_INPUT_DIR: join(tmp, 'in') } });
  });

  afterAll(async () => {
    await processor?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  const run = async (executionId: string, inputs: Record<string, unknown>) => {
    const res = await fetch(`${processor.baseUrl}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        execution_id: executionId,
        write_prefix: join(tmp, 'out', '{execution_id}'),
        schema: 'v1',
        mode: 'mock',
        inputs,
      }),
    });
    return { status: res.status, envelope: ProcessorEnvelope.parse(await res.json()) };
  };

  it('extracts a PDF read from the input dir and an inline base64 PDF', async () => {
    const inline = Buffer.from(await makePdf(['Inline page.'])).toString('base64');
    const { status, envelope } = await run('pdf-1', {
      documents: [{ path: 'report.pdf' }, { name: 'inline.pdf', content_base64: inline }],
      chunk_size: 200,
      chunk_overlap: 0,
    });
    expect(status, JSON.stringify(envelope)).toBe(200);
    const out = join(tmp, 'out', 'pdf-1', 'outputs');
    const text = await readFile(join(out, 'text.txt'), 'utf8');
    expect(text).toContain('Quarterly report.');
    expect(text).toContain('Revenue grew.');
    expect(text).toContain('Inline page.');
    const metadata = JSON.parse(await readFile(join(out, 'metadata.json'), 'utf8'));
    expect(metadata.documents.map((d: { pages: number }) => d.pages)).toEqual([2, 1]);
    const { chunks } = JSON.parse(await readFile(join(out, 'chunks.json'), 'utf8'));
    expect(chunks.map((c: { document: number }) => c.document)).toEqual([0, 1]);
  });

  it.each([
    ['../secret.txt', 'without ..'],
    ['/etc/hostname', 'without ..'],
    ['link.txt', 'outside the input directory'],
    ['missing.txt', 'ENOENT'],
  ])('refuses the input path %s with ERR_INPUTS_INVALID', async (path, reason) => {
    const { status, envelope } = await run(`bad-${path.replace(/\W/g, '')}`, {
      documents: [{ path }],
    });
    expect(status).toBe(400);
    if (envelope.status !== 'error') {
      expect.fail('expected an error envelope');
    }
    expect(envelope.error.code).toBe('ERR_INPUTS_INVALID');
    expect(envelope.error.issues?.[0]?.path).toBe('/inputs/documents/0/path');
    expect(envelope.error.issues?.[0]?.message).toContain(reason);
  });
});
