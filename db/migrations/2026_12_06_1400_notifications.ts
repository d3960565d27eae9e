import { sql, type Kysely } from 'kysely'

// Notifications: one row per (event, recipient, dedupe key) — the inbox entry — and one delivery row per
// interrupting channel (e-mail, push). The unique keys are what makes every event reach a recipient on a channel once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      event text not null check (event ~ '^[a-z][a-z0-9_]{1,60}$'),
      recipient_id uuid references users(id) on delete cascade,
      -- A recipient without an account (a reseller's customer) is reached by e-mail only.
      recipient_email text check (recipient_email is null or char_length(recipient_email) <= 254),
      recipient_locale text not null default 'zh-CN' check (recipient_locale in ('zh-CN', 'en')),
      dedupe_key text not null check (char_length(dedupe_key) between 1 and 200),
      category text not null check (category in ('marketing', 'transactional')),
      data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
      link text check (link is null or (link like '/%' and link not like '//%' and char_length(link) <= 500)),
      show_at timestamptz not null,
      read_at timestamptz,
      created_at timestamptz not null default now(),
      check ((recipient_id is null) <> (recipient_email is null))
    )`.execute(db)
  await sql`create unique index notifications_once on notifications (event, coalesce(recipient_id::text, 'mail:' || lower(recipient_email)), dedupe_key)`.execute(
    db,
  )
  // The header badge: one count over this partial index.
  await sql`create index notifications_unread on notifications (recipient_id, show_at) where read_at is null and recipient_id is not null`.execute(
    db,
  )
  await sql`create index notifications_inbox on notifications (recipient_id, show_at desc) where recipient_id is not null`.execute(
    db,
  )

  await sql`
    create table notification_deliveries (
      id bigint generated always as identity primary key,
      notification_id uuid not null references notifications(id) on delete cascade,
      channel text not null check (channel in ('email', 'push')),
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
      due_at timestamptz not null,
      attempts int not null default 0,
      claimed_at timestamptz,
      finished_at timestamptz,
      outcome text check (outcome is null or char_length(outcome) <= 500),
      created_at timestamptz not null default now(),
      unique (notification_id, channel)
    )`.execute(db)
  await sql`create index notification_deliveries_due on notification_deliveries (due_at) where status = 'pending'`.execute(
    db,
  )
  await sql`create index notification_deliveries_sending on notification_deliveries (claimed_at) where status = 'sending'`.execute(
    db,
  )
  await sql`create index notification_deliveries_status on notification_deliveries (status, id desc)`.execute(db)

  await sql`
    create table notification_preferences (
      user_id uuid not null references users(id) on delete cascade,
      event text not null,
      channel text not null check (channel in ('inbox', 'email', 'push')),
      enabled boolean not null,
      updated_at timestamptz not null default now(),
      primary key (user_id, event, channel)
    )`.execute(db)
  await sql`
    create table notification_settings (
      user_id uuid primary key references users(id) on delete cascade,
      quiet_start_minute int not null check (quiet_start_minute between 0 and 1439),
      quiet_end_minute int not null check (quiet_end_minute between 0 and 1439),
      quiet_enabled boolean not null default true,
      updated_at timestamptz not null default now()
    )`.execute(db)
  // Opt-outs of recipients without an account, from the unsubscribe link of their e-mails.
  await sql`
    create table email_opt_outs (
      email text not null,
      event text not null,
      created_at timestamptz not null default now(),
      primary key (email, event)
    )`.execute(db)
  // Marketing notifications that used a member's daily allowance, per local day.
  await sql`
    create table marketing_cap_uses (
      user_id uuid not null references users(id) on delete cascade,
      day date not null,
      notification_id uuid not null references notifications(id) on delete cascade,
      primary key (user_id, day, notification_id)
    )`.execute(db)

  await sql`
    create table push_subscriptions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      endpoint text not null unique check (endpoint ~ '^https?://' and char_length(endpoint) <= 1000),
      p256dh text not null check (char_length(p256dh) between 20 and 200),
      auth text not null check (char_length(auth) between 8 and 100),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index push_subscriptions_user on push_subscriptions (user_id)`.execute(db)
  await sql`
    create table vapid_keys (
      id int primary key default 1 check (id = 1),
      public_key text not null,
      private_key text not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  // Where e-mail goes when no SMTP server is configured (shown at /dev/mailbox).
  await sql`
    create table dev_mailbox (
      id bigint generated always as identity primary key,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text not null,
      headers jsonb not null default '{}'::jsonb,
      raw text not null,
      created_at timestamptz not null default now()
    )`.execute(db)

  // "Remind me" on an upcoming session or one of its items; restock alerts on a sold-out size.
  await sql`
    create table reminder_requests (
      user_id uuid not null references users(id) on delete cascade,
      session_id uuid not null references clearance_sessions(id) on delete cascade,
      session_item_id uuid references session_items(id) on delete cascade,
      created_at timestamptz not null default now(),
      unique nulls not distinct (user_id, session_id, session_item_id)
    )`.execute(db)
  await sql`create index reminder_requests_session on reminder_requests (session_id)`.execute(db)
  await sql`
    create table restock_requests (
      user_id uuid not null references users(id) on delete cascade,
      session_item_sku_id uuid not null references session_item_skus(id) on delete cascade,
      created_at timestamptz not null default now(),
      notified_at timestamptz,
      primary key (user_id, session_item_sku_id)
    )`.execute(db)
  await sql`create index restock_requests_waiting on restock_requests (session_item_sku_id) where notified_at is null`.execute(
    db,
  )
  // Sessions whose reminders have been fanned out (the fan-out job skips them).
  await sql`
    create table session_reminder_runs (
      session_id uuid primary key references clearance_sessions(id) on delete cascade,
      starts_at timestamptz not null,
      recipients int not null,
      planned_at timestamptz not null default now()
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'session_reminder_runs',
    'restock_requests',
    'reminder_requests',
    'dev_mailbox',
    'vapid_keys',
    'push_subscriptions',
    'marketing_cap_uses',
    'email_opt_outs',
    'notification_settings',
    'notification_preferences',
    'notification_deliveries',
    'notifications',
  ]) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db)
  }
}
