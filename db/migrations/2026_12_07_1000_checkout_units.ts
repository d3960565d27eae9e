import { sql, type Kysely } from 'kysely'

// A checkout's units, written with it: the open-hold limit counts a member's pending checkouts and their units under
// the hot SKU rows' locks, and reading the units through orders and order lines cost two index lookups per open
// checkout (~12 ms for a batch of 90 members holding ~17 checkouts each). A checkout's lines never change while it
// is pending, so the count written at checkout stays true. 0: a checkout without lines (rows written outside the
// pipeline), which holds nothing. The pending checkouts' index gains the deadline, so checkouts past it that the
// expiry job has not closed yet are not read.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table checkouts add column units integer not null default 0 check (units >= 0)`.execute(db)
  await sql`
    update checkouts c set units = t.units
    from (
      select o.checkout_id, sum(l.quantity)::int as units
      from orders o join order_lines l on l.order_id = o.id
      group by o.checkout_id
    ) as t
    where t.checkout_id = c.id`.execute(db)
  await sql`create index checkouts_open_member_idx on checkouts (member_id, expires_at) include (units)
    where status = 'pending_payment'`.execute(db)
  await sql`drop index checkouts_pending_member_idx`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index checkouts_pending_member_idx on checkouts (member_id) where status = 'pending_payment'`.execute(
    db,
  )
  await sql`drop index checkouts_open_member_idx`.execute(db)
  await sql`alter table checkouts drop column units`.execute(db)
}
