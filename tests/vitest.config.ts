import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const alias = ['app', 'db', 'search', 'jobs', 'tests'].map((dir) => ({
  find: new RegExp(`^#${dir}/(.*)$`),
  replacement: `${root}/${dir}/$1`,
}))

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    globals: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['app/**/*.test.{ts,tsx}', 'search/**/*.test.ts', 'jobs/**/*.test.ts', 'db/**/*.test.ts'],
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['tests/db/**/*.db.test.ts'],
          globalSetup: ['tests/setup/global-db.ts'],
          setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/register-payment-purposes.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
