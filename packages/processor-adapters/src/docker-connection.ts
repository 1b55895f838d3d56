import { dockerOptionsFromHost } from '@agentplane/backends/docker-host';
import Docker from 'dockerode';

/**
 * A dockerode handle for a DOCKER_HOST value (parsed as everywhere else in the platform: see
 * testkit's docker-host). Unset means Docker's default socket.
 */
export function dockerFromHost(host: string | undefined): Docker {
  return new Docker(host ? dockerOptionsFromHost(host) : { socketPath: '/var/run/docker.sock' });
}
