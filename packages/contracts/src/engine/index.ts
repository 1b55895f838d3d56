export * from './events.js';
export * from './execute.js';
export * from './gateway-config.js';
export * from './health.js';
export * from './hitl.js';
export * from './routes.js';
export * from './rpc.js';
