import { createHmac, timingSafeEqual } from 'node:crypto'
import { i18nFor, type Locale } from '#app/i18n'
import { isNotificationEvent, type NotificationEvent } from '#app/domain/notification-events'
import { sessionSecret, setting } from '#app/utils/env.server'
import type { MailMessage } from './channels.server'

// Texts of a notification in either language, the bilingual e-mail, the push payload, and signed unsubscribe tokens.

export interface Rendered {
  title: string
  body: string
}

/** `<field>En` values replace `<field>` in English (brand and session names have both). */
function localData(data: Record<string, unknown>, locale: Locale): Record<string, unknown> {
  if (locale !== 'en') return data
  const out: Record<string, unknown> = { ...data }
  for (const [k, v] of Object.entries(data)) if (k.endsWith('En') && v) out[k.slice(0, -2)] = v
  return out
}

export function renderNotification(event: string, data: unknown, locale: Locale): Rendered {
  const t = i18nFor(locale).t
  const d = localData((data && typeof data === 'object' ? data : {}) as Record<string, unknown>, locale)
  if (!isNotificationEvent(event)) return { title: event, body: '' }
  const e: NotificationEvent = event
  return {
    title: t(`notifications.events.${e}.title`, d as Record<string, string>),
    body: t(`notifications.events.${e}.body`, d as Record<string, string>),
  }
}

/** Where links in e-mails and push point: PUBLIC_URL, else this server on PORT. */
export function publicBase(source?: Record<string, string | undefined>): string {
  return (setting('PUBLIC_URL', source) ?? `http://localhost:${setting('PORT', source)}`).replace(/\/$/, '')
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** One e-mail in both languages (the recipient's first), with a plain-text part and a one-click unsubscribe. */
export function renderMail(input: {
  to: string
  event: string
  data: unknown
  primary: Locale
  url: string | null
  unsubscribeUrl: string
}): MailMessage {
  const order: Locale[] = input.primary === 'en' ? ['en', 'zh-CN'] : ['zh-CN', 'en']
  const parts = order.map((l) => ({ l, r: renderNotification(input.event, input.data, l), t: i18nFor(l).t }))
  const subject = parts.map((p) => p.r.title).join(' / ')
  const text =
    parts
      .map((p) =>
        [p.r.title, '', p.r.body, ...(input.url ? ['', `${p.t('notifications.mail.open')}: ${input.url}`] : [])].join(
          '\n',
        ),
      )
      .join('\n\n— — —\n\n') +
    `\n\n${parts.map((p) => p.t('notifications.mail.unsubscribe')).join(' / ')}: ${input.unsubscribeUrl}\n`
  const html =
    `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;max-width:560px">` +
    parts
      .map(
        (p) =>
          `<section lang="${p.l}"><h2 style="font-size:18px">${esc(p.r.title)}</h2><p>${esc(p.r.body)}</p>` +
          (input.url ? `<p><a href="${esc(input.url)}">${esc(p.t('notifications.mail.open'))}</a></p>` : '') +
          `</section>`,
      )
      .join('<hr>') +
    `<p style="color:#777;font-size:12px"><a href="${esc(input.unsubscribeUrl)}">${esc(parts.map((p) => p.t('notifications.mail.unsubscribe')).join(' / '))}</a></p></body></html>`
  return { to: input.to, subject, text, html, unsubscribeUrl: input.unsubscribeUrl }
}

/** The push message: both languages, the service worker shows the one matching the device. */
export function renderPush(event: string, data: unknown, url: string | null): string {
  const zh = renderNotification(event, data, 'zh-CN')
  const en = renderNotification(event, data, 'en')
  return JSON.stringify({ title: zh.title, body: zh.body, titleEn: en.title, bodyEn: en.body, url, tag: event })
}

// ---------------- unsubscribe tokens ----------------

export type UnsubscribeTarget =
  { userId: string; event: NotificationEvent } | { email: string; event: NotificationEvent }

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url')
const mac = (payload: string) =>
  createHmac('sha256', `unsubscribe:${sessionSecret()}`).update(payload).digest().subarray(0, 18)

/** A token naming who stops which e-mail, signed so nobody can unsubscribe someone else. */
export function unsubscribeToken(target: UnsubscribeTarget): string {
  const payload =
    'userId' in target ? `u:${target.userId}:${target.event}` : `m:${target.email.toLowerCase()}:${target.event}`
  return `${b64(payload)}.${b64(mac(payload))}`
}

export function readUnsubscribeToken(token: string): UnsubscribeTarget | null {
  const m = /^([A-Za-z0-9_-]{4,400})\.([A-Za-z0-9_-]{24})$/.exec(token)
  if (!m) return null
  const payload = Buffer.from(m[1], 'base64url').toString('utf8')
  const given = Buffer.from(m[2], 'base64url')
  const want = mac(payload)
  if (given.length !== want.length || !timingSafeEqual(given, want)) return null
  const u = /^u:([0-9a-f-]{36}):([a-z0-9_]+)$/.exec(payload)
  if (u && isNotificationEvent(u[2])) return { userId: u[1], event: u[2] }
  const e = /^m:(.+):([a-z0-9_]+)$/.exec(payload)
  if (e && isNotificationEvent(e[2])) return { email: e[1], event: e[2] }
  return null
}
