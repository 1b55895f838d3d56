import { dockerOptionsFromHost } from '@agentplane/backends/docker-host';
import Docker from 'dockerode';
import {
  notSetReason,
  type ServiceProbe,
  serviceAvailable,
  serviceUnavailable,
} from './require-service.js';

/** A dockerode handle for `host`, pinged once so a dead socket fails here, not mid-test. */
export async function connectDocker(host: string): Promise<Docker> {
  const docker = new Docker(dockerOptionsFromHost(host));
  await docker.ping();
  return docker;
}

/** A worker's container-engine handle, or why there is none. */
export async function probeDocker(host: string | undefined): Promise<ServiceProbe<Docker>> {
  if (!host) {
    return serviceUnavailable('docker', notSetReason('docker'));
  }
  try {
    return serviceAvailable(await connectDocker(host));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return serviceUnavailable('docker', `DOCKER_HOST unreachable (${host}): ${message}`);
  }
}
