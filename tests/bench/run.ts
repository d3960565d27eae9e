// `npm run bench` runs every scenario in sequence; `npm run bench -- grab session` runs the named ones.
// Scenarios: ceiling, session, overload, grab (measures the ceiling in its own database first), search, import.
import { ceilingScenario } from './ceiling'
import { externalScenario } from './external'
import { grabScenario } from './grab'
import { overloadScenario } from './overload'
import { postersScenario } from './posters'
import { notifyScenario } from './notify'
import { openingScenario } from './opening'
import { cpuTicks, log, machineInfo, printTable, stealPercent, writeResults, type SummaryRow } from './harness'
import { sessionPageScenario } from './session-page'
import { shareScenario } from './share'

type Runner = () => Promise<{ result: unknown; rows: SummaryRow[]; postgres?: string }>

const SCENARIOS: Record<string, Runner> = {
  ceiling: ceilingScenario,
  session: sessionPageScenario,
  overload: overloadScenario,
  grab: grabScenario,
  search: () => externalScenario('search'),
  import: () => externalScenario('import'),
  notify: notifyScenario,
  share: shareScenario,
  opening: openingScenario,
  posters: postersScenario,
}
// The full run: `grab` already measures the single-connection ceiling in the same run.
const DEFAULT = ['session', 'grab', 'search', 'import']

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = asked.filter((a) => !(a in SCENARIOS))
if (unknown.length) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')}. Known: ${Object.keys(SCENARIOS).join(', ')}`)
  process.exit(2)
}
const chosen = asked.length ? asked : DEFAULT

const started = Date.now()
const results: Record<string, unknown> = {}
const rows: SummaryRow[] = []
let pgVersion: string | undefined
let failed = false
for (const name of chosen) {
  log(`── scenario: ${name}`)
  const ticks = cpuTicks()
  try {
    const out = await SCENARIOS[name]!()
    results[name] = out.result
    rows.push(...out.rows)
    const steal = stealPercent(ticks, cpuTicks())
    if (steal !== null)
      rows.push({
        scenario: name,
        metric: 'CPU taken by the hypervisor during the scenario (steal)',
        value: `${steal} % of the machine`,
        note: 'a shared virtual machine: figures move with it',
      })
    const pg = (out.result as { postgres?: string } | null)?.postgres
    if (pg) pgVersion = pg
  } catch (error) {
    failed = true
    console.error(error)
    results[name] = { error: String(error instanceof Error ? error.stack : error) }
    rows.push({
      scenario: name,
      metric: 'FAILED',
      value: String(error instanceof Error ? error.message : error).slice(0, 120),
    })
  }
}

const machine = machineInfo(pgVersion)
const totalS = Math.round((Date.now() - started) / 1000)
console.log('')
console.log(
  `Machine: ${machine.nproc} cores (${machine.cpuModel}), ${machine.memoryGb} GB, node ${machine.node}, PostgreSQL ${machine.postgres ?? '?'} — ${machine.date}`,
)
printTable(rows)
const { file, summary } = writeResults({ machine, scenarios: chosen, totalSeconds: totalS, results, summary: rows })
console.log(`\nResults: ${file}\nSummary: ${summary}\nTotal: ${totalS} s`)
process.exit(failed ? 1 : 0)
