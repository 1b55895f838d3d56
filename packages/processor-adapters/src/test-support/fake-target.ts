import type { ProcessorTarget } from '../target.js';

/** A target for the fake processor (test/fake-processor), expecting `digest`. */
export function fakeTarget(image: string, digest: string | undefined): ProcessorTarget {
  return {
    ref: 'test/fake@1',
    image,
    expectedDigest: digest,
    envFingerprint: 'cpu:1;memory:1Gi',
    runtime: { cpu: '1', memory_gb: 1, timeout_s: 30, gpu: null },
    secrets: { required: [], one_of: [] },
  };
}
