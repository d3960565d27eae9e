import { parseWithZod } from '@conform-to/zod'
import { FieldErrors, replyErrors } from '#app/components/form-errors'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTx } from '#app/components/onboarding'
import { NotificationSettingsSchema, PushSubscriptionSchema } from '#app/schemas/notifications'
import {
  preferencesPage,
  removePushSubscription,
  savePreferences,
  savePushSubscription,
} from '#app/services/notifications/settings.server'
import { getDb } from '#app/utils/db.server'
import { invalidReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { parseClock } from '#app/domain/notifications'

export const meta: MetaFunction = () => [{ title: '通知设置 · Notification settings' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json(await preferencesPage(getDb(), { id: user.id, role: user.role }), {
    headers: { 'Cache-Control': 'private, no-store' },
  })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData().catch(() => new FormData())
  const intent = form.get('intent')
  if (intent === 'push-subscribe' || intent === 'push-unsubscribe') {
    const push = parseWithZod(form, { schema: PushSubscriptionSchema })
    if (push.status !== 'success') return invalidReply(push)
    const v = push.value
    if (v.intent === 'push-subscribe')
      await savePushSubscription(getDb(), user.id, { endpoint: v.endpoint, p256dh: v.p256dh, auth: v.auth })
    else await removePushSubscription(getDb(), user.id, v.endpoint ?? null)
    return json({ ok: true as const, saved: false })
  }
  const submission = parseWithZod(form, { schema: NotificationSettingsSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const v = submission.value
  await savePreferences(getDb(), user, {
    on: new Set(v.on),
    quietEnabled: v.quietEnabled === 'on',
    quietStart: parseClock(v.quietStart)!,
    quietEnd: parseClock(v.quietEnd)!,
    now: new Date(),
  })
  return json({ ok: true as const, saved: true })
}

function urlBase64ToBytes(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
  const out = new Uint8Array(new ArrayBuffer(b.length))
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i)
  return out
}
const b64url = (buf: ArrayBuffer | null) =>
  buf
    ? btoa(String.fromCharCode(...new Uint8Array(buf)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '')
    : ''

/** Turns push on or off for this browser: the service worker, the browser's subscription, and the server's copy. */
function PushToggle({ publicKey, devices }: { publicKey: string; devices: number }) {
  const { tx } = useTx()
  const fetcher = useFetcher()
  const [state, setState] = useState<'unknown' | 'unsupported' | 'on' | 'off' | 'denied'>('unknown')
  useEffect(() => {
    if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
      setState('unsupported')
      return
    }
    navigator.serviceWorker
      .register('/sw.js')
      .then((reg) => reg.pushManager.getSubscription())
      .then(
        (s) => setState(s ? 'on' : 'off'),
        () => setState('unsupported'),
      )
  }, [])
  async function enable() {
    try {
      const reg = await navigator.serviceWorker.register('/sw.js')
      if ((await Notification.requestPermission()) !== 'granted') {
        setState('denied')
        return
      }
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: urlBase64ToBytes(publicKey),
      })
      fetcher.submit(
        {
          intent: 'push-subscribe',
          endpoint: sub.endpoint,
          p256dh: b64url(sub.getKey('p256dh')),
          auth: b64url(sub.getKey('auth')),
        },
        { method: 'post' },
      )
      setState('on')
    } catch {
      setState('unsupported')
    }
  }
  async function disable() {
    const reg = await navigator.serviceWorker.getRegistration('/sw.js')
    const sub = await reg?.pushManager.getSubscription()
    if (sub) {
      fetcher.submit({ intent: 'push-unsubscribe', endpoint: sub.endpoint }, { method: 'post' })
      await sub.unsubscribe()
    }
    setState('off')
  }
  return (
    <section className="card push-toggle" aria-labelledby="push-title">
      <h2 id="push-title">{tx('notifications.settings.device.title')}</h2>
      <p data-push-state={state}>
        {state === 'unsupported'
          ? tx('notifications.settings.device.unsupported')
          : state === 'denied'
            ? tx('notifications.settings.device.denied')
            : state === 'on'
              ? tx('notifications.settings.device.on')
              : state === 'off'
                ? tx('notifications.settings.device.off')
                : '…'}
      </p>
      {state === 'off' || state === 'denied' ? (
        <button type="button" className="button" onClick={enable}>
          {tx('notifications.settings.device.enable')}
        </button>
      ) : null}
      {state === 'on' ? (
        <button type="button" className="button secondary" onClick={disable}>
          {tx('notifications.settings.device.disable')}
        </button>
      ) : null}
      <p className="muted small">{tx('notifications.settings.device.count', { count: devices })}</p>
    </section>
  )
}

export default function NotificationSettings() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const nav = useNavigation()
  const { tx } = useTx()
  const reply = result && 'result' in result ? result.result : undefined
  const errors = reply?.error ?? {}
  return (
    <div className="page narrow notification-settings">
      <h1>{tx('notifications.settings.title')}</h1>
      <p className="muted">
        {data.getsMarketing
          ? tx('notifications.settings.intro', { cap: data.dailyCap })
          : tx('notifications.settings.introWork')}
      </p>
      {!data.hasEmail && <p className="notice">{tx('notifications.settings.noEmail')}</p>}
      <PushToggle publicKey={data.vapidPublicKey} devices={data.pushEndpoints.length} />
      <Form method="post" className="card">
        <table className="prefs-table">
          <thead>
            <tr>
              <th>{tx('notifications.settings.event')}</th>
              <th>{tx('notifications.settings.email')}</th>
              <th>{tx('notifications.settings.push')}</th>
            </tr>
          </thead>
          <tbody>
            {data.events.map((e) => (
              <tr key={e.event}>
                <th scope="row">
                  {tx(`notifications.events.${e.event}.name`)}
                  <br />
                  <span className="muted small">{tx(`notifications.settings.${e.category}`)}</span>
                </th>
                <td data-label={tx('notifications.settings.email')}>
                  <label className="select-cell">
                    <input
                      type="checkbox"
                      name="on"
                      value={`${e.event}.email`}
                      defaultChecked={e.email}
                      aria-label={`${tx(`notifications.events.${e.event}.name`)} · ${tx('notifications.settings.email')}`}
                    />
                  </label>
                </td>
                <td data-label={tx('notifications.settings.push')}>
                  <label className="select-cell">
                    <input
                      type="checkbox"
                      name="on"
                      value={`${e.event}.push`}
                      defaultChecked={e.push}
                      aria-label={`${tx(`notifications.events.${e.event}.name`)} · ${tx('notifications.settings.push')}`}
                    />
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset className="quiet-hours">
          <legend>{tx('notifications.settings.quiet')}</legend>
          <label className="inline">
            <input type="checkbox" name="quietEnabled" defaultChecked={data.quiet.enabled} />{' '}
            {tx('notifications.settings.quietOn')}
          </label>
          <label>
            {tx('notifications.settings.from')}{' '}
            <input
              type="time"
              name="quietStart"
              defaultValue={data.quiet.start}
              required
              aria-invalid={errors.quietStart ? true : undefined}
            />
          </label>
          <label>
            {tx('notifications.settings.to')}{' '}
            <input
              type="time"
              name="quietEnd"
              defaultValue={data.quiet.end}
              required
              aria-invalid={errors.quietEnd ? true : undefined}
            />
          </label>
          <FieldErrors field={replyErrors(reply, errors.quietStart ? 'quietStart' : 'quietEnd')} />
        </fieldset>
        <button type="submit" className="button" disabled={nav.state === 'submitting'}>
          {tx('notifications.settings.save')}
        </button>
        {result && 'saved' in result && result.saved && <p role="status">{tx('notifications.settings.saved')}</p>}
      </Form>
    </div>
  )
}
