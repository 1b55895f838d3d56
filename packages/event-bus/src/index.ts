export { type BusCursor, InvalidBusCursorError } from './bus-cursor.js';
export { type BusEntry, type BusOverflow, createEventBus, type EventBus } from './event-bus.js';
export { createMemoryStreamLog } from './memory-stream-log.js';
export { createRedisStreamLog, type RedisStreamLog } from './redis-stream-log.js';
export { InvalidStreamIdError } from './stream-id.js';
export {
  type FollowOptions,
  type LogEntry,
  OVERFLOW_EVENT,
  type OverflowData,
  type StreamLog,
} from './stream-log.js';
