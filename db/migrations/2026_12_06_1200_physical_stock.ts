import { sql, type Kysely } from 'kysely'

// skus.stock_on_hand becomes the units physically on hand: a sale takes them off, a cancelled sale or a
// return puts them back, each with a stock movement ('return' is new). Existing rows lose what was sold.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stock_movements drop constraint if exists stock_movements_kind_check`.execute(db)
  await sql`alter table stock_movements add constraint stock_movements_kind_check
    check (kind in ('allocate', 'top_up', 'sale', 'sale_cancelled', 'release', 'return'))`.execute(db)
  await sql`update skus k set stock_on_hand = greatest(0, k.stock_on_hand - s.sold)
    from (select sku_id, sum(allocated - available - released)::int as sold from session_item_skus group by sku_id) s
    where s.sku_id = k.id and s.sold > 0`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from stock_movements where kind = 'return'`.execute(db)
  await sql`alter table stock_movements drop constraint if exists stock_movements_kind_check`.execute(db)
  await sql`alter table stock_movements add constraint stock_movements_kind_check
    check (kind in ('allocate', 'top_up', 'sale', 'sale_cancelled', 'release'))`.execute(db)
}
