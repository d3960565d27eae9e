import { sql, type Kysely } from 'kysely'

// Catalog, sessions and brand dashboard: photos, style codes, per-brand barcodes, CSV imports,
// stock movements (shared ledger), brand follows, and the release of unsold allocation at a session's end.
export async function up(db: Kysely<any>): Promise<void> {
  // Products: a style code (款号) groups CSV rows into one product; an uploaded photo replaces the art.
  await sql`alter table products add column style_code text check (style_code is null or length(style_code) between 1 and 64)`.execute(
    db,
  )
  await sql`alter table products add column image_path text check (image_path is null or image_path ~ '^[0-9a-f-]{36}$')`.execute(
    db,
  )
  await sql`alter table products add column updated_at timestamptz not null default now()`.execute(db)
  await sql`alter table products add constraint products_brand_style_key unique (brand_id, style_code)`.execute(db)

  // Barcodes are unique per brand, not globally: skus carry their brand (filled from the product).
  await sql`alter table skus add column brand_id uuid references brands(id)`.execute(db)
  await sql`update skus k set brand_id = p.brand_id from products p where p.id = k.product_id`.execute(db)
  await sql`alter table skus alter column brand_id set not null`.execute(db)
  await sql`
    create function skus_fill_brand() returns trigger language plpgsql as $$
    begin
      new.brand_id := (select brand_id from products where id = new.product_id);
      return new;
    end $$`.execute(db)
  await sql`create trigger skus_fill_brand before insert or update of product_id on skus for each row execute function skus_fill_brand()`.execute(
    db,
  )
  await sql`alter table skus drop constraint skus_barcode_key`.execute(db)
  await sql`alter table skus add constraint skus_brand_barcode_key unique (brand_id, barcode)`.execute(db)
  await sql`alter table skus add constraint skus_barcode_format check (length(barcode) between 1 and 64)`.execute(db)

  await sql`alter table clearance_sessions add column banner_path text check (banner_path is null or banner_path ~ '^[0-9a-f-]{36}$')`.execute(
    db,
  )
  await sql`alter table clearance_sessions add column released_at timestamptz`.execute(db)
  await sql`create index clearance_sessions_brand_idx on clearance_sessions (brand_id, starts_at)`.execute(db)

  // Units released at the end (unsold); sold = allocated − available − released.
  await sql`alter table session_item_skus add column released integer not null default 0 check (released >= 0)`.execute(
    db,
  )
  await sql`alter table session_item_skus add constraint session_item_skus_released_le check (available + released <= allocated)`.execute(
    db,
  )
  await sql`create index session_item_skus_sku_idx on session_item_skus (sku_id)`.execute(db)

  await sql`
    create table stock_movements (
      id bigint generated always as identity primary key,
      brand_id uuid not null references brands(id),
      session_id uuid not null references clearance_sessions(id) on delete cascade,
      session_item_sku_id uuid not null references session_item_skus(id) on delete cascade,
      kind text not null check (kind in ('allocate', 'top_up', 'sale', 'sale_cancelled', 'release')),
      quantity integer not null check (quantity <> 0),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index stock_movements_session_idx on stock_movements (session_id, kind, created_at)`.execute(db)
  await sql`create index stock_movements_brand_idx on stock_movements (brand_id, created_at)`.execute(db)

  await sql`
    create table brand_follows (
      user_id uuid not null references users(id) on delete cascade,
      brand_id uuid not null references brands(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, brand_id)
    )`.execute(db)
  await sql`create index brand_follows_brand_idx on brand_follows (brand_id)`.execute(db)

  await sql`
    create table catalog_imports (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      created_by uuid not null references users(id),
      file_name text not null,
      csv_text text not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      total_rows integer not null default 0,
      processed_rows integer not null default 0,
      ok_rows integer not null default 0,
      products_created integer not null default 0,
      products_updated integer not null default 0,
      errors jsonb not null default '[]'::jsonb,
      failure text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db)
  await sql`create index catalog_imports_brand_idx on catalog_imports (brand_id, created_at desc)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists catalog_imports, brand_follows, stock_movements`.execute(db)
  await sql`alter table session_item_skus drop constraint if exists session_item_skus_released_le, drop column if exists released`.execute(
    db,
  )
  await sql`alter table clearance_sessions drop column if exists banner_path, drop column if exists released_at`.execute(
    db,
  )
  await sql`drop trigger if exists skus_fill_brand on skus`.execute(db)
  await sql`drop function if exists skus_fill_brand()`.execute(db)
  await sql`alter table skus drop constraint if exists skus_brand_barcode_key, drop constraint if exists skus_barcode_format, drop column if exists brand_id`.execute(
    db,
  )
  await sql`alter table skus add constraint skus_barcode_key unique (barcode)`.execute(db)
  await sql`alter table products drop constraint if exists products_brand_style_key, drop column if exists style_code, drop column if exists image_path, drop column if exists updated_at`.execute(
    db,
  )
}
