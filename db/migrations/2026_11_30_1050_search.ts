import { sql, type Kysely } from 'kysely'

// Search sync: an outbox written by triggers in the same transaction as the catalog, session or
// stock change. A drain (search/sync.ts) turns each row into "rebuild this session item's
// document from SQL (or delete it)". Rows only name session items; the drain is idempotent.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table search_outbox (
      id bigint generated always as identity primary key,
      session_item_id uuid not null,
      reason text not null,
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create function search_outbox_product() returns trigger language plpgsql as $$
    begin
      insert into search_outbox (session_item_id, reason)
        select i.id, 'product' from session_items i where i.product_id = old.id;
      return null;
    end $$`.execute(db)
  await sql`create trigger search_outbox_products after update or delete on products
    for each row execute function search_outbox_product()`.execute(db)

  await sql`
    create function search_outbox_sku() returns trigger language plpgsql as $$
    begin
      insert into search_outbox (session_item_id, reason)
        select distinct k.session_item_id, 'sku' from session_item_skus k
        where k.sku_id = coalesce(new.id, old.id) or (tg_op = 'UPDATE' and k.sku_id = old.id);
      return null;
    end $$`.execute(db)
  await sql`create trigger search_outbox_skus after update or delete on skus
    for each row execute function search_outbox_sku()`.execute(db)

  await sql`
    create function search_outbox_session_item() returns trigger language plpgsql as $$
    begin
      insert into search_outbox (session_item_id, reason) values (coalesce(new.id, old.id), 'session_item');
      return null;
    end $$`.execute(db)
  await sql`create trigger search_outbox_session_items after insert or update or delete on session_items
    for each row execute function search_outbox_session_item()`.execute(db)

  await sql`
    create function search_outbox_session() returns trigger language plpgsql as $$
    begin
      insert into search_outbox (session_item_id, reason)
        select i.id, 'session' from session_items i where i.session_id = old.id;
      return null;
    end $$`.execute(db)
  await sql`create trigger search_outbox_sessions after update or delete on clearance_sessions
    for each row execute function search_outbox_session()`.execute(db)

  await sql`
    create function search_outbox_brand() returns trigger language plpgsql as $$
    begin
      insert into search_outbox (session_item_id, reason)
        select i.id, 'brand' from session_items i join clearance_sessions s on s.id = i.session_id
        where s.brand_id = old.id;
      return null;
    end $$`.execute(db)
  await sql`create trigger search_outbox_brands after update on brands
    for each row when (old.status is distinct from new.status or old.name is distinct from new.name or old.name_en is distinct from new.name_en)
    execute function search_outbox_brand()`.execute(db)

  // session_item_skus is the checkout's hot row: it is decremented on every grab. Only a flip of
  // in-stock (or a different SKU) changes the document, and the WHEN clause is checked without
  // calling the function, so an ordinary decrement costs nothing here.
  await sql`
    create function search_outbox_item_sku() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.session_item_id <> old.session_item_id then
        insert into search_outbox (session_item_id, reason) values (old.session_item_id, 'stock');
      end if;
      insert into search_outbox (session_item_id, reason) values (coalesce(new.session_item_id, old.session_item_id), 'stock');
      return null;
    end $$`.execute(db)
  await sql`create trigger search_outbox_item_skus_ins_del after insert or delete on session_item_skus
    for each row execute function search_outbox_item_sku()`.execute(db)
  await sql`create trigger search_outbox_item_skus_upd after update on session_item_skus
    for each row when ((old.available > 0) <> (new.available > 0) or old.sku_id <> new.sku_id or old.session_item_id <> new.session_item_id)
    execute function search_outbox_item_sku()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists search_outbox_item_skus_upd on session_item_skus`.execute(db)
  await sql`drop trigger if exists search_outbox_item_skus_ins_del on session_item_skus`.execute(db)
  await sql`drop trigger if exists search_outbox_brands on brands`.execute(db)
  await sql`drop trigger if exists search_outbox_sessions on clearance_sessions`.execute(db)
  await sql`drop trigger if exists search_outbox_session_items on session_items`.execute(db)
  await sql`drop trigger if exists search_outbox_skus on skus`.execute(db)
  await sql`drop trigger if exists search_outbox_products on products`.execute(db)
  for (const f of [
    'search_outbox_item_sku',
    'search_outbox_brand',
    'search_outbox_session',
    'search_outbox_session_item',
    'search_outbox_sku',
    'search_outbox_product',
  ]) {
    await sql.raw(`drop function if exists ${f}()`).execute(db)
  }
  await db.schema.dropTable('search_outbox').ifExists().execute()
}
