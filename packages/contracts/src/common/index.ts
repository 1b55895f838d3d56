// What every service shares (the error envelope, route declarations, the platform /health), on
// its own subpath `@agentplane/contracts/common`, so the HTTP kit does not pull every service's
// schemas into the apps that bundle it.
export * from './errors.js';
export * from './route.js';
export * from './route-types.js';
export * from './service-health.js';
