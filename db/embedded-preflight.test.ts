import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  checkRootCanRunEmbedded,
  EmbeddedStartError,
  firstUnreachable,
  readPostmasterPid,
  stopOrphanedPostmaster,
} from './embedded-preflight'

const base = mkdtempSync(path.join(os.tmpdir(), 'preflight-'))
chmodSync(base, 0o755)
afterAll(() => rmSync(base, { recursive: true, force: true }))
const stranger = { uid: 424242, gid: 424242 }

describe('who may reach the data directory', () => {
  it('names the first folder a stranger cannot enter (a checkout in a private home folder)', () => {
    const home = path.join(base, 'home')
    mkdirSync(path.join(home, 'app/.data'), { recursive: true })
    chmodSync(home, 0o700)
    expect(firstUnreachable(path.join(home, 'app/.data/postgres'), stranger.uid, stranger.gid)).toBe(home)
    chmodSync(home, 0o711)
    expect(firstUnreachable(path.join(home, 'app/.data/postgres'), stranger.uid, stranger.gid)).toBeNull()
  })

  it('says what to do instead of an EACCES stack trace', () => {
    const home = path.join(base, 'root-home')
    mkdirSync(path.join(home, 'checkout/node_modules'), { recursive: true })
    chmodSync(home, 0o700)
    const run = () =>
      checkRootCanRunEmbedded(
        { dataDir: path.join(home, 'checkout/.data/postgres'), binDir: path.join(home, 'checkout/node_modules') },
        stranger,
      )
    expect(run).toThrow(EmbeddedStartError)
    expect(run).toThrow(new RegExp(`postgres\` system user, which cannot enter ${home} `))
    expect(run).toThrow(/run npm start as a normal user/)
    expect(run).toThrow(/DATABASE_URL/)
  })
})

describe('postmaster.pid', () => {
  it('reads pid, data directory and port', () => {
    const dir = path.join(base, 'pg')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'postmaster.pid'), `12345\n${dir}\n1765000000\n5432\n/tmp\n127.0.0.1\n`)
    expect(readPostmasterPid(dir)).toEqual({ pid: 12345, dataDir: dir, port: 5432 })
  })

  it('refuses a file naming a live process that is not a PostgreSQL of this directory', async () => {
    const dir = path.join(base, 'pg-stranger')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n1765000000\n5432\n`)
    await expect(stopOrphanedPostmaster(dir, () => {})).rejects.toThrow(
      /is running but is not a PostgreSQL of this data directory/,
    )
  })

  it('leaves a stale file (its process gone) to PostgreSQL', async () => {
    const dir = path.join(base, 'pg-stale')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'postmaster.pid'), `999999999\n${dir}\n1765000000\n5432\n`)
    expect(await stopOrphanedPostmaster(dir, () => {})).toBe('none')
  })
})
