/** The shape of a Chinese message tree with any strings: what its English must match key for key. */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
