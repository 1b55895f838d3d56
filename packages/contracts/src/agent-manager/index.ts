export * from './agent-events.js';
export * from './agents.js';
export * from './bus-stream.js';
export * from './routes.js';
export * from './tools.js';
export * from './workers.js';
