// Search and CSV import scenarios belong to their features (feat/search, feat/catalog): their bench files
// tests/bench/search.bench.ts and tests/bench/import.bench.ts run here as child processes when present.
// Their output is passed through; a JSON object on the last line that starts with `{` is kept as the result,
// otherwise the lines that report a time (e.g. "10000 rows in 4.2 s") become rows of the summary.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { log, ROOT, round, watchMemory, type SummaryRow } from './harness'

const FILES = { search: 'tests/bench/search.bench.ts', import: 'tests/bench/import.bench.ts' } as const
const TARGETS = { search: 'p95 ≤ 50 ms at 100,000 items', import: '≤ 30 s for 10,000 rows' } as const

export async function externalScenario(name: keyof typeof FILES) {
  const file = path.join(ROOT, FILES[name])
  if (!existsSync(file)) {
    const reason = `${FILES[name]} is not in this tree (its feature has not landed in main yet)`
    log(`${name}: skipped: ${reason}`)
    return {
      result: { skipped: reason },
      rows: [
        { scenario: name, metric: 'skipped', value: '-', target: TARGETS[name], note: reason },
      ] satisfies SummaryRow[],
    }
  }
  log(`${name}: running ${FILES[name]}…`)
  const started = performance.now()
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
    cwd: ROOT,
    env: {
      ...process.env,
      // Ports for their own servers, away from ours.
      BENCH_APP_PORT: String(3208),
      BENCH_PG_PORT: String(54358),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const memory = watchMemory(child.pid!)
  let out = ''
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8')
    process.stdout.write(c)
  })
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  const { peakRssMb } = memory.stats()
  memory.stop()
  const wallS = round((performance.now() - started) / 1000, 1)
  if (code !== 0) throw new Error(`${FILES[name]} exited with ${code}`)
  const last = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('{'))
  let parsed: Record<string, unknown> | null
  try {
    parsed = last ? JSON.parse(last) : null
  } catch {
    parsed = null
  }
  const timed = parsed
    ? []
    : out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => (/\d\s*(s|ms)\b/.test(l) || /^memory:/.test(l)) && !l.startsWith('[bench'))
        .slice(-12)
  const rows: SummaryRow[] = [
    {
      scenario: name,
      metric: 'bench process wall time',
      value: `${wallS} s`,
      target: TARGETS[name],
      note: `peak RSS of the bench process ${peakRssMb} MB`,
    },
    ...Object.entries(parsed ?? {})
      .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
      .slice(0, 8)
      .map(([k, v]) => ({ scenario: name, metric: k, value: String(v) })),
    ...timed.map((line) => ({
      scenario: name,
      metric: 'reported',
      value: line.length > 110 ? `${line.slice(0, 107)}…` : line,
    })),
  ]
  return { result: { wallSeconds: wallS, peakRssMb, reported: parsed, output: out.slice(-4000) }, rows }
}
