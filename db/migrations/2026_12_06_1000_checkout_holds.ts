import { sql, type Kysely } from 'kysely'

// Open unpaid holds are counted per member at checkout (a partial index keeps that to their pending checkouts),
// and an Idempotency-Key's answer is kept per member: the same key gets the same answer (json, not jsonb: the
// answer is given again exactly as written).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index checkouts_pending_member_idx on checkouts (member_id) where status = 'pending_payment'`.execute(
    db,
  )
  await sql`
    create table checkout_idempotency_keys (
      member_id uuid not null references users(id) on delete cascade,
      key text not null check (char_length(key) between 1 and 255),
      fingerprint text not null,
      checkout_id uuid references checkouts(id) on delete set null,
      status integer not null,
      answer json not null,
      created_at timestamptz not null default now(),
      primary key (member_id, key)
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists checkout_idempotency_keys`.execute(db)
  await sql`drop index if exists checkouts_pending_member_idx`.execute(db)
}
