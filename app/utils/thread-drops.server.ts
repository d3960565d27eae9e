// Kept reads live per thread. With render threads (app/server/render-pool.ts) pages are rendered on threads of
// their own while orders and forms commit on the main thread, so a change a thread makes must drop what every
// thread of the process keeps, not only its own, or a member's next page could show the stock she just bought.
// A drop is named here once; the server forwards it to the other threads over the same message port its page
// requests travel on, so a page asked for after the change (a 201, a redirect) is rendered after the drop.
//
// A global, not a module variable: the Remix server build bundles its own copy of this module, and the server's
// code (which forwards) must reach the handlers the build registered.
declare global {
  var __marketplaceDrops: { handlers: Map<string, () => void>; forward: ((name: string) => void) | null } | undefined
}

function registry() {
  return (global.__marketplaceDrops ??= { handlers: new Map(), forward: null })
}

/** `drop` for this thread, made to run in every thread of the process when the returned function is called. */
export function dropInEveryThread(name: string, drop: () => void): () => void {
  registry().handlers.set(name, drop)
  return () => {
    drop()
    registry().forward?.(name)
  }
}

/** Runs a drop another thread made (here only: it is not forwarded again). */
export function runDrop(name: string): void {
  registry().handlers.get(name)?.()
}

/** Where this thread's drops go besides itself (the server sets it when there are render threads; null: nowhere). */
export function forwardDrops(forward: ((name: string) => void) | null): void {
  registry().forward = forward
}
