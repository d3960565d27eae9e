// Lint: typescript-eslint's recommended rules plus the import boundaries the layout depends on.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const serverOnly = ['\\#db/*', '\\#search/*', '\\#jobs/*', '**/db/*', '**/search/*', '**/jobs/*']

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', '.data/**', 'tests/.artifacts/**', 'node_modules/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-undef': 'off', // TypeScript checks names
    },
  },
  {
    files: ['app/**/*.tsx', 'app/**/use-*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Kysely's documented migration signature is `Kysely<any>`: a migration must not depend on today's schema types.
  { files: ['db/migrations/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Each feature's schema file adds columns to skeleton tables by interface merging.
  { files: ['db/schema.ts'], rules: { '@typescript-eslint/no-empty-object-type': 'off' } },
  {
    // Routes are thin: they reach the database, search and jobs only through services.
    files: ['app/routes/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: serverOnly,
              allowTypeImports: true,
              message: 'Routes call app/services; never db/, search/ or jobs/ directly.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no I/O, no framework, no database.
    files: ['app/domain/**'],
    ignores: ['app/domain/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              allowTypeImports: true,
              group: [
                ...serverOnly,
                '\\#app/services/*',
                '\\#app/utils/*',
                '\\#app/routes/*',
                'node:*',
                'kysely',
                'postgres',
                'stripe',
                'meilisearch',
                'graphile-worker',
                '@remix-run/*',
                'react',
                'react-dom',
                'express',
                'fs',
                'http',
                'https',
                'net',
                'child_process',
              ],
              message: 'app/domain holds pure rules: take data and `now`, return data; do I/O in a service.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'app/domain does no I/O.' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Domain rules take `now` as an argument.',
        },
      ],
    },
  },
)
