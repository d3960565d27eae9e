import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PORT = Number(process.env.E2E_PORT ?? 3100)
const pgDir = path.join(root, 'tests/.artifacts/e2e-pg')
// Where the app sends e-mail and which certificate it trusts for push endpoints: the notifications spec runs the
// loopback SMTP server on this port and writes that certificate (tests/setup/smtp-sink.ts, push-endpoint.ts).
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? PORT + 1000)
export const E2E_PUSH_CA_FILE = path.join(root, 'tests/.artifacts/e2e-push-ca.pem')

// The built app against its own fresh embedded PostgreSQL with the demo seed; Debian's Chromium, never a downloaded one.
export default defineConfig({
  testDir: path.join(root, 'tests/e2e'),
  outputDir: path.join(root, 'tests/.artifacts/e2e-results'),
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  },
  webServer: {
    command: `rm -rf "${pgDir}" && npx tsx app/server/main.ts`,
    cwd: root,
    url: `http://localhost:${PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      EMBEDDED_PG_DIR: pgDir,
      EMBEDDED_PG_PORT: String(Number(process.env.E2E_PG_PORT ?? 54340)),
      NODE_ENV: 'test',
      // The demo's photos would land while the tests run: the browser tests keep the seed's generated art
      // (DEMO_PHOTOS=1 with SCREENSHOTS=1 retakes the reference screenshots with photos).
      DEMO_PHOTOS: process.env.DEMO_PHOTOS ?? '0',
      SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
      PUSH_CA_FILE: E2E_PUSH_CA_FILE,
    },
  },
})
