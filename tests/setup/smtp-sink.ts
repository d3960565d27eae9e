import type { AddressInfo, Server } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A real SMTP server on loopback that keeps every message it receives (tests read what arrived). */
export interface SmtpSink {
  url: string
  port: number
  messages: Array<{ to: string[]; raw: string; mail: ParsedMail }>
  waitFor(pred: (m: SmtpSink['messages'][number]) => boolean, timeoutMs?: number): Promise<SmtpSink['messages'][number]>
  close(): Promise<void>
}

/** `parse: false` keeps the raw text only (a benchmark receiving thousands counts rather than reads). */
export async function startSmtpSink(port = 0, options: { parse?: boolean } = {}): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        if (options.parse === false) {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, mail: null as unknown as ParsedMail })
          callback()
          return
        }
        simpleParser(raw).then((mail) => {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, mail })
          callback()
        }, callback)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  const address = (server as unknown as { server: Server }).server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    port: address.port,
    messages,
    async waitFor(pred, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const m = messages.find(pred)
        if (m) return m
        if (Date.now() > until) throw new Error(`no matching e-mail among ${messages.length} received`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
