import { sql, type Kysely } from 'kysely'

// An order line's session, catalog SKU and product, and an order's member, are copies written by the checkout from
// the rows it locked: the line's session SKU (a checked reference) leads to the same three, and the order's checkout
// (a checked reference) to the same member. None of those rows can go while the line or the checkout does: the
// session SKU's session item and session cascade into it, its catalog SKU and product are referenced without
// cascade, and the checkout references its member without cascade (no code moves a session SKU to another session
// item or catalog SKU). The copies' own foreign keys therefore refused nothing the others let through, and cost four
// of a grab's ten foreign-key checks, each an index probe and a row lock inside the batch's one write, under the hot
// rows' locks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table order_lines drop constraint order_lines_session_id_fkey,
    drop constraint order_lines_sku_id_fkey, drop constraint order_lines_product_id_fkey`.execute(db)
  await sql`alter table orders drop constraint orders_member_id_fkey`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table orders add constraint orders_member_id_fkey foreign key (member_id) references users(id)`.execute(
    db,
  )
  await sql`alter table order_lines
    add constraint order_lines_session_id_fkey foreign key (session_id) references clearance_sessions(id),
    add constraint order_lines_sku_id_fkey foreign key (sku_id) references skus(id),
    add constraint order_lines_product_id_fkey foreign key (product_id) references products(id)`.execute(db)
}
