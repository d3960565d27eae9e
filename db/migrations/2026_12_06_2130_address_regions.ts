import { sql, type Kysely } from 'kysely'

// Addresses name their province, city and district by national division code (GB/T 2260), chosen from the list,
// and a member has one default address. Rows saved before keep their free-text region: it still ships and shows
// as written, and their codes stay empty until the member edits the address and picks the region.
// Each member's oldest own address becomes the default, so checkout preselects what it used to.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table addresses
      add column province_code text check (province_code ~ '^[0-9]{6}$'),
      add column city_code text check (city_code ~ '^[0-9]{6}$'),
      add column district_code text check (district_code ~ '^[0-9]{6}$'),
      add column is_default boolean not null default false,
      add column updated_at timestamptz,
      add constraint addresses_region_codes_check
        check ((province_code is null) = (city_code is null) and (city_code is null) = (district_code is null))`.execute(
    db,
  )
  await sql`
    create unique index addresses_one_default_idx on addresses (member_id)
      where is_default and archived_at is null`.execute(db)
  await sql`
    update addresses a set is_default = true
      from (
        select distinct on (member_id) id from addresses
          where archived_at is null and kind = 'own'
          order by member_id, created_at, id
      ) first_own
      where a.id = first_own.id`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists addresses_one_default_idx`.execute(db)
  await sql`
    alter table addresses
      drop constraint if exists addresses_region_codes_check,
      drop column if exists province_code,
      drop column if exists city_code,
      drop column if exists district_code,
      drop column if exists is_default,
      drop column if exists updated_at`.execute(db)
}
