import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { recogniseAddress, regionOptions } from '#app/services/regions.server'

// Resource route behind the address pickers, for members and for a reseller's customers (who have no account):
// GET ?parent=<code> lists one level of China's divisions; POST text=<pasted address> reads it into fields.
// Public on purpose: the list is public data and reading a pasted text touches nothing stored.
const Parent = z.object({
  parent: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional(),
})
const Paste = z.object({ text: z.string().trim().min(1).max(500) })

export async function loader({ request }: LoaderFunctionArgs) {
  const q = Parent.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!q.success) return json({ fieldErrors: { parent: ['orders.errors.invalid'] } }, { status: 400 })
  return json({ options: regionOptions(q.data.parent) }, { headers: { 'Cache-Control': 'public, max-age=86400' } })
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ fieldErrors: { text: ['orders.errors.invalid'] } }, { status: 405 })
  const form = await request.formData().catch(() => null)
  const parsed = Paste.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) return json({ fieldErrors: { text: ['orders.errors.pasteEmpty'] } }, { status: 400 })
  return json(recogniseAddress(parsed.data.text))
}
