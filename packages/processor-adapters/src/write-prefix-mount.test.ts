import { expect, test } from 'vitest';
import { mountForWritePrefix } from './write-prefix-mount.js';

function mount(prefix: string, executionId = 'e1') {
  const result = mountForWritePrefix(prefix, executionId);
  if (!result.ok) {
    throw new Error(result.reason);
  }
  return result.mount;
}

test('only the expanded run directory is mounted, at /artifacts/<execution_id>', () => {
  const m = mount('/srv/runs/{execution_id}/');
  expect(m).toMatchObject({
    hostDir: '/srv/runs/e1',
    containerDir: '/artifacts/e1',
    containerPrefix: '/artifacts/e1/',
  });
  expect(m.toHost('/artifacts/e1/outputs/a.txt')).toBe('/srv/runs/e1/outputs/a.txt');
  expect(m.toHost('/elsewhere/a.txt')).toBe('/elsewhere/a.txt');
});

test('a placeholder anywhere, or none, names the run directory', () => {
  expect(mount('/srv/job-{execution_id}/out').hostDir).toBe('/srv/job-e1/out');
  expect(mount('/srv/one/').hostDir).toBe('/srv/one');
});

test('relative, .., root, unknown placeholders and unsafe execution ids are refused', () => {
  expect(mountForWritePrefix('runs/{execution_id}/', 'e1').ok).toBe(false);
  expect(mountForWritePrefix('/srv/../etc/{execution_id}/', 'e1').ok).toBe(false);
  expect(mountForWritePrefix('/', 'e1').ok).toBe(false);
  expect(mountForWritePrefix('/srv/{run}/', 'e1').ok).toBe(false);
  expect(mountForWritePrefix('/srv/{execution_id}/', '../x').ok).toBe(false);
});
