import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import path from 'node:path'

// Checks before the embedded PostgreSQL starts, so that the two ways a local start used to fail end in either a
// working server or a message saying what to do:
// - the app was killed (kill -9, a crash) and its PostgreSQL kept running: the next start found postmaster.pid and
//   failed. A postmaster of our own data directory is stopped and started again; a stranger is reported.
// - `npm start` as root: PostgreSQL refuses root, so it runs as the `postgres` system user, which cannot reach a
//   checkout inside a private folder (root's home): initdb died with EACCES. Checked up front.

export class EmbeddedStartError extends Error {
  override name = 'EmbeddedStartError'
}

export interface Postmaster {
  pid: number
  dataDir: string
  port: number | null
}

/** What postmaster.pid says (first lines: pid, data directory, start time, port), or null without one. */
export function readPostmasterPid(dataDir: string): Postmaster | null {
  const file = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(file)) return null
  const [pid, dir, , port] = readFileSync(file, 'utf8').split('\n')
  const n = Number(pid)
  if (!Number.isSafeInteger(n) || n <= 0) return null
  return { pid: n, dataDir: dir ?? '', port: port && Number.isSafeInteger(Number(port)) ? Number(port) : null }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The command line of a process (/proc on Linux, ps elsewhere), or null when it is gone. */
function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null
    } catch {
      return null
    }
  }
}

/** The parent process id (/proc on Linux, ps elsewhere), or null. */
function parentPid(pid: number): number | null {
  try {
    // Fields after the parenthesised command name: state, ppid, …
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || null
    } catch {
      return null
    }
  }
}

/** A live postmaster of this data directory: a postgres process started with `-D <dataDir>`. */
export function isOwnPostmaster(pid: number, dataDir: string): boolean {
  if (!isAlive(pid)) return false
  const cmd = commandLine(pid)
  return !!cmd && /(^|\/)postgres(\s|$)/.test(cmd) && cmd.includes(`-D ${path.resolve(dataDir)}`)
}

/**
 * Before starting: a postmaster of this data directory whose app is gone (killed, crashed: the postmaster was
 * handed to init) is stopped (fast shutdown: committed data is safe) so that this run starts its own. One whose app
 * still runs, or a postmaster.pid naming a live process that is not ours, is refused with a message. A stale file
 * (its process gone) is left to PostgreSQL, which replaces it.
 */
export async function stopOrphanedPostmaster(
  dataDir: string,
  log: (m: string) => void = console.log,
): Promise<'none' | 'stopped'> {
  const found = readPostmasterPid(dataDir)
  if (!found || !isAlive(found.pid)) return 'none'
  if (!isOwnPostmaster(found.pid, dataDir)) {
    throw new EmbeddedStartError(
      `${path.join(dataDir, 'postmaster.pid')} names process ${found.pid}, which is running but is not a PostgreSQL of this data directory.\n` +
        `If no PostgreSQL uses ${dataDir}, delete that file and start again; otherwise stop that server first.`,
    )
  }
  // Its app still running (the parent is alive and not init): a second start on the same data directory.
  const parent = parentPid(found.pid)
  if (parent && parent !== 1 && isAlive(parent) && /node|tsx/.test(commandLine(parent) ?? '')) {
    throw new EmbeddedStartError(
      `The embedded PostgreSQL of ${dataDir} (pid ${found.pid}) belongs to an app that is still running (pid ${parent}).\n` +
        'Stop that one first, or give this one its own EMBEDDED_PG_DIR and EMBEDDED_PG_PORT.',
    )
  }
  log(
    `An embedded PostgreSQL left running by an earlier run (pid ${found.pid}${found.port ? `, port ${found.port}` : ''}, same data directory) is stopped first…`,
  )
  process.kill(found.pid, 'SIGINT')
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (!isAlive(found.pid)) return 'stopped'
    await sleep(100)
  }
  throw new EmbeddedStartError(
    `The earlier embedded PostgreSQL (pid ${found.pid}) did not stop within 30 s. Stop it (kill ${found.pid}) and start again.`,
  )
}

/** The first directory on the way to `target` (itself included, if it exists) that `uid`/`gid` may not enter, or null. */
export function firstUnreachable(target: string, uid: number, gid: number): string | null {
  const parts = path.resolve(target).split(path.sep).filter(Boolean)
  let dir: string = path.sep
  for (const part of ['', ...parts]) {
    dir = path.join(dir, part)
    if (!existsSync(dir)) break
    const st = statSync(dir)
    if (!st.isDirectory()) continue
    const bit = st.uid === uid ? 0o100 : st.gid === gid ? 0o010 : 0o001
    if ((st.mode & bit) === 0) return dir
  }
  return null
}

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    )
    const gid = Number(
      execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    )
    return Number.isSafeInteger(uid) && Number.isSafeInteger(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user: it must be able to reach the data directory and the
 * PostgreSQL programs in node_modules. Ids of a user yet to be created match no owner or group (-1).
 */
export function checkRootCanRunEmbedded(
  paths: { dataDir: string; binDir: string },
  ids = postgresUserIds() ?? { uid: -1, gid: -1 },
): void {
  for (const [what, p] of [
    ['data directory', paths.dataDir],
    ['PostgreSQL programs', paths.binDir],
  ] as const) {
    const blocked = firstUnreachable(p, ids.uid, ids.gid)
    if (blocked) {
      throw new EmbeddedStartError(
        `npm start runs as root, so the embedded PostgreSQL runs as the \`postgres\` system user, which cannot enter ${blocked} ` +
          `(on the way to the ${what}, ${p}).\nDo one of:\n` +
          '  - run npm start as a normal user;\n' +
          '  - move the checkout somewhere other users may enter (e.g. /srv or /opt), then npm ci again;\n' +
          `  - allow it: chmod o+x ${blocked} (and every folder above it that lacks it);\n` +
          '  - set DATABASE_URL to a PostgreSQL of your own.',
      )
    }
  }
}
