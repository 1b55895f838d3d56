export * from './chat-completions.js';
export * from './errors.js';
export * from './events.js';
export * from './pools.js';
export * from './routes.js';
export * from './schemas.js';
