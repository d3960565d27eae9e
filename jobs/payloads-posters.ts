import { z } from 'zod'

export const RenderSharePostersPayload = z.object({ tokens: z.array(z.string().min(1)).min(1).max(40) })
export type RenderSharePostersPayload = z.infer<typeof RenderSharePostersPayload>

// Registers the payload type with enqueue() without editing jobs/payloads.ts.
declare module './payloads' {
  interface TaskPayloads {
    render_share_posters: RenderSharePostersPayload
  }
}
