import { z } from '../common/zod.js';

/** Agent and skill ids: kebab-case, also the file name (`agents/<id>.json`). */
export const CatalogId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, 'kebab-case, starting with a letter, at most 64 chars')
  .openapi('CatalogId');
export type CatalogId = z.infer<typeof CatalogId>;

/** Tool names are namespaced and dotted (`memory.search`), also the file name (`<name>.json`). */
export const ToolName = z
  .string()
  .max(128)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'dotted `namespace.name`, lowercase')
  .openapi('ToolName');
export type ToolName = z.infer<typeof ToolName>;
