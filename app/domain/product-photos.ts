/** A product's photo order after one move; the first photo is the cover. Unknown photos leave the order as it is. */
export function movePhoto(
  order: readonly string[],
  photo: string,
  move: 'first' | 'earlier' | 'later' | 'remove',
): string[] {
  const i = order.indexOf(photo)
  if (i < 0) return [...order]
  const rest = order.filter((p) => p !== photo)
  if (move === 'remove') return rest
  const at = move === 'first' ? 0 : move === 'earlier' ? Math.max(0, i - 1) : Math.min(order.length - 1, i + 1)
  return [...rest.slice(0, at), photo, ...rest.slice(at)]
}
