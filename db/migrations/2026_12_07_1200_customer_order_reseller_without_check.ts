import { sql, type Kysely } from 'kysely'

// A customer order's reseller is a copy written by the checkout with the checkout it wraps: the checkout is placed
// on her behalf, so checkouts.member_id is the same user, and the customer order's checkout is a checked reference
// (unique, no cascade) whose member is one too (no cascade). The reseller cannot go while the checkout does, and the
// checkout cannot go while the customer order does, so the copy's own foreign key refused nothing the others let
// through; it cost one check per order inside the batch's one write, under the hot rows' locks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customer_orders drop constraint customer_orders_reseller_id_fkey`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customer_orders add constraint customer_orders_reseller_id_fkey
    foreign key (reseller_id) references users(id)`.execute(db)
}
