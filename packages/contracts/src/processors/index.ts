export * from './envelope.js';
export * from './registry.js';
export * from './routes.js';
export * from './run.js';
export * from './stream.js';
