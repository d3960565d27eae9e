import { readFileSync } from 'node:fs'
import { Agent } from 'node:https'
import nodemailer, { type Transporter } from 'nodemailer'
import webpush from 'web-push'
import type { Db } from '#db/client'
import { insertDevMail, storedVapidKeys } from '#db/queries/notification-deliveries'
import { setting } from '#app/utils/env.server'

// The two interrupting channels. E-mail goes through SMTP (SMTP_URL) or, without it, into the local mailbox table
// that /dev/mailbox shows. Push goes to each of the user's Web Push subscriptions, signed with the stored VAPID keys.

export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
  /** Absolute one-click unsubscribe URL (List-Unsubscribe + List-Unsubscribe-Post). */
  unsubscribeUrl: string
}

export interface PushTarget {
  endpoint: string
  p256dh: string
  auth: string
}

export interface Channels {
  sendMail(message: MailMessage): Promise<void>
  /** 'gone' when the push service says the subscription no longer exists (404/410). */
  sendPush(target: PushTarget, payload: string): Promise<'sent' | 'gone'>
}

export interface ChannelOptions {
  smtpUrl?: string | null
  from?: string
  /**
   * CA certificate(s) to trust for push endpoints besides the system's (tests run a loopback endpoint); read when
   * first needed.
   */
  pushCa?: string | (() => string | null) | null
  vapidSubject?: string
}

const DEFAULT_FROM = '清仓集市 Clearance Market <no-reply@clearance-market.local>'

export function createChannels(db: Db, options: ChannelOptions = {}): Channels {
  const from = options.from ?? DEFAULT_FROM
  const transport: Transporter = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  let agent: { ca: string; agent: Agent } | null = null
  const agentFor = (): Agent | undefined => {
    const ca = typeof options.pushCa === 'function' ? options.pushCa() : options.pushCa
    if (!ca) return undefined
    if (agent?.ca !== ca) agent = { ca, agent: new Agent({ ca, keepAlive: true }) }
    return agent.agent
  }
  const subject = options.vapidSubject ?? 'mailto:no-reply@clearance-market.local'

  return {
    async sendMail(m) {
      const info = await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        list: { unsubscribe: m.unsubscribeUrl },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      })
      if (!options.smtpUrl) {
        const raw = Buffer.isBuffer(info.message) ? info.message.toString('utf8') : String(info.message)
        await insertDevMail(db, {
          ...m,
          raw,
          headers: {
            'List-Unsubscribe': `<${m.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        })
      }
    },
    async sendPush(target, payload) {
      const keys = await vapidKeys(db)
      const agent = agentFor()
      try {
        await webpush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          payload,
          {
            vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
            TTL: 3600,
            timeout: 10_000,
            ...(agent ? { agent } : {}),
          },
        )
        return 'sent'
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode
        if (status === 404 || status === 410) return 'gone'
        throw e
      }
    },
  }
}

/** Channels from the environment (SMTP_URL, MAIL_FROM, PUSH_CA_FILE, VAPID_SUBJECT). */
export function channelsFromEnv(db: Db, source?: Record<string, string | undefined>): Channels {
  const pushCaFile = setting('PUSH_CA_FILE', source)
  return createChannels(db, {
    smtpUrl: setting('SMTP_URL', source) ?? null,
    from: setting('MAIL_FROM', source),
    pushCa: pushCaFile ? () => readFileSync(pushCaFile, 'utf8') : null,
    vapidSubject: setting('VAPID_SUBJECT', source),
  })
}

const cachedKeys = new WeakMap<Db, Promise<{ publicKey: string; privateKey: string }>>()

/**
 * The VAPID key pair: generated the first time it is asked for and stored, so every process and every restart
 * signs with the same keys (browsers' subscriptions are bound to the public key).
 */
export function vapidKeys(db: Db): Promise<{ publicKey: string; privateKey: string }> {
  let p = cachedKeys.get(db)
  if (!p) {
    p = storedVapidKeys(db, webpush.generateVAPIDKeys())
    p.catch(() => cachedKeys.delete(db))
    cachedKeys.set(db, p)
  }
  return p
}
