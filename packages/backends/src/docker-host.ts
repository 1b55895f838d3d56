import type Docker from 'dockerode';

/**
 * dockerode options for a DOCKER_HOST value: `unix:///run/podman/podman.sock`, a bare socket
 * path, or `tcp://host:port` (plain HTTP, as the Docker CLI treats tcp:// without TLS vars).
 */
export function dockerOptionsFromHost(host: string): Docker.DockerOptions {
  if (host.startsWith('unix://')) {
    return { socketPath: host.slice('unix://'.length) };
  }
  if (host.startsWith('/')) {
    return { socketPath: host };
  }
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    const https = url.protocol === 'https:';
    return {
      protocol: https ? 'https' : 'http',
      host: url.hostname,
      port: url.port || (https ? 2376 : 2375),
    };
  }
  throw new Error(
    `DOCKER_HOST ${JSON.stringify(host)} is neither unix://, tcp:// nor a socket path`,
  );
}
