import { bodyBytesCategories } from './body-bytes.js';
import { bodySchemaCategories } from './body-schema.js';
import type { Category } from './fuzz-case.js';
import { headerCategories } from './headers.js';
import { paramCategories } from './params.js';
import { routeCategories } from './routes.js';

/** Every defect family, in the order a round sends them. */
export const categories: readonly Category[] = [
  ...bodySchemaCategories,
  ...bodyBytesCategories,
  ...paramCategories,
  ...headerCategories,
  ...routeCategories,
];
