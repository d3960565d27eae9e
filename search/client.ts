import type { SearchEngine } from './engine'

// The engine the process created at start-up (app/server/main.ts). A global, not a module
// variable: the Remix server build bundles its own copy of this module.
declare global {
  var __marketplaceSearch: SearchEngine | undefined
}

export function setSearchEngine(engine: SearchEngine | undefined): void {
  global.__marketplaceSearch = engine
}

export function getSearchEngine(): SearchEngine | null {
  return global.__marketplaceSearch ?? null
}
