import { sql, type Kysely } from 'kysely'

// The VIP discounts that price a session, fixed when it goes live: a later edit of the VIP table changes the
// prices of sessions that have not started yet, never of one that is live or over.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table session_vip_tiers (
      session_id uuid not null references clearance_sessions(id) on delete cascade,
      level integer not null check (level >= 0),
      discount_bps integer not null check (discount_bps between 0 and 10000),
      primary key (session_id, level)
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists session_vip_tiers`.execute(db)
}
