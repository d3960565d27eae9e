import cluster from 'node:cluster'
import { EmbeddedStartError } from '#db/embedded-preflight'
import { initEnvOrExit } from '#app/utils/env.server'
import { startBackground, stopOnSignals } from './background'
import { runHttpWorker, runPrimary } from './cluster'
import { closeHttpServer, startHttpServer } from './http'

// The entry `npm start` runs. WEB_CONCURRENCY=1 (default): one process with the database (embedded unless
// DATABASE_URL), migrations, seed, search, the job worker in-process (unless RUN_WORKER=0) and the Remix app on
// PORT. WEB_CONCURRENCY>1: a node:cluster primary doing the same minus HTTP, and N HTTP processes (cluster.ts).
const env = initEnvOrExit()

try {
  if (cluster.isWorker) {
    await runHttpWorker(env)
  } else if (env.WEB_CONCURRENCY > 1) {
    await runPrimary(env)
  } else {
    const background = await startBackground(env, { serveSearch: true })
    const server = await startHttpServer(env, background.embedded ? ' (embedded PostgreSQL)' : '')
    stopOnSignals(async (signal) => {
      console.log(`${signal}: shutting down…`)
      await closeHttpServer(server)
      await background.stop()
    })
  }
} catch (error) {
  // The embedded PostgreSQL could not start for a reason the message explains (and says what to do): no stack trace.
  if (!(error instanceof EmbeddedStartError)) throw error
  console.error(error.message)
  process.exit(1)
}
