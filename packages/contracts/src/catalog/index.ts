export * from './agent-definition.js';
export * from './core-soul.js';
export * from './ids.js';
export * from './layout.js';
export * from './skill-definition.js';
export * from './tool-definition.js';
