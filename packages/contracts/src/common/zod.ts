import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// `.openapi()` must exist before any schema module calls it; importing `z` from here guarantees
// the order regardless of which module is loaded first.
extendZodWithOpenApi(z);

export { z };
