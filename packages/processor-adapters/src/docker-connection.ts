import Docker from 'dockerode';

/**
 * A dockerode handle for a DOCKER_HOST value: `unix:///run/podman/podman.sock`, a bare socket
 * path, or `tcp://host:port` (plain HTTP). Unset means Docker's default socket.
 */
export function dockerFromHost(host: string | undefined): Docker {
  if (!host) {
    return new Docker({ socketPath: '/var/run/docker.sock' });
  }
  if (host.startsWith('unix://')) {
    return new Docker({ socketPath: host.slice('unix://'.length) });
  }
  if (host.startsWith('/')) {
    return new Docker({ socketPath: host });
  }
  if (/^(tcp|http|https):\/\//.test(host)) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    const https = url.protocol === 'https:';
    return new Docker({
      protocol: https ? 'https' : 'http',
      host: url.hostname,
      port: url.port || (https ? 2376 : 2375),
    });
  }
  throw new Error(
    `DOCKER_HOST ${JSON.stringify(host)} is neither unix://, tcp:// nor a socket path`,
  );
}
