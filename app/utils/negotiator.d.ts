// The part of negotiator 0.6.4 the server uses (its types on npm predate the `preferred` argument).
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | string[] | undefined> })
    /** The encoding of `available` the client rates highest, ties going to the first of `preferred`. */
    encoding(available: readonly string[], preferred?: readonly string[]): string | undefined
  }
}
