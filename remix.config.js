// The benchmark's own routes (app/routes/bench.*) are built only for the benchmarks (BUILD_BENCH_ROUTES=1, set by
// tests/bench/harness.ts); every other build, production's included, does not contain them.
const benchRoutes = process.env.BUILD_BENCH_ROUTES === '1'

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}', ...(benchRoutes ? [] : ['**/bench.*'])],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off on purpose: with 60-odd routes the whole manifest is one small cached file, while lazy discovery
    // matched every route again on each server render (~0.5 ms per page, measured in tests/bench). The route
    // tree also never changes at run time then, which patches/@remix-run+router+1.23.3.patch relies on.
    v3_lazyRouteDiscovery: false,
  },
}
