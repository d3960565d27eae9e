import { json, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { writeSettlements } from '#app/services/after-sales.server'
import { runPayouts } from '#app/services/payouts/payouts.server'
import { getDb } from '#app/utils/db.server'
import { env } from '#app/utils/env.server'

// Browser tests only: runs the settlement and payout jobs with the clock passed in (`at`). Any other NODE_ENV: 404.
function testOnly() {
  if (env().NODE_ENV !== 'test') throw new Response('Not found', { status: 404 })
}

const RunSchema = z.object({ at: z.string().datetime() })

export async function loader() {
  testOnly()
  throw new Response('Method not allowed', { status: 405 })
}

export async function action({ request }: ActionFunctionArgs) {
  testOnly()
  const parsed = RunSchema.safeParse(await request.json().catch(() => null))
  if (!parsed.success) return json({ fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 })
  const now = new Date(parsed.data.at)
  const settled = await writeSettlements(getDb(), now)
  return json({ settled, ...(await runPayouts(getDb(), now)) })
}
