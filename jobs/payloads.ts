import { z } from 'zod'

// Every task's payload is parsed here: payloads arrive as `unknown` from the queue.
export const SessionBoundaryPayload = z.object({
  sessionId: z.string().uuid(),
  kind: z.enum(['started', 'ended']),
})
export type SessionBoundaryPayload = z.infer<typeof SessionBoundaryPayload>

export interface TaskPayloads {
  record_session_boundary: SessionBoundaryPayload
}
export type TaskId = keyof TaskPayloads
