import type { Product, ProductPolicy } from '@agentplane/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ProductsTable } from '../db/schema.js';

export type ProductRow = Selectable<ProductsTable>;

export function toProduct(row: ProductRow): Product {
  return {
    product_id: row.id,
    slug: row.slug,
    display_name: row.display_name,
    policy: row.policy,
    created_at: row.created_at.toISOString(),
  };
}

export function createProductRepo(db: Kysely<Database>) {
  return {
    /** undefined when the slug is taken. */
    async insert(product: {
      id: string;
      slug: string;
      display_name: string;
      key_hash: string;
      policy: ProductPolicy;
    }): Promise<ProductRow | undefined> {
      return db
        .insertInto('products')
        .values({ ...product, policy: JSON.stringify(product.policy) })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    async byKeyHash(keyHash: string): Promise<ProductRow | undefined> {
      return db
        .selectFrom('products')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .executeTakeFirst();
    },

    async setPolicy(productId: string, policy: ProductPolicy): Promise<ProductRow | undefined> {
      return db
        .updateTable('products')
        .set({ policy: JSON.stringify(policy) })
        .where('id', '=', productId)
        .returningAll()
        .executeTakeFirst();
    },
  };
}
export type ProductRepo = ReturnType<typeof createProductRepo>;
