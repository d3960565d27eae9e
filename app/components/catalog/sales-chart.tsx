import { useTranslation } from 'react-i18next'

/** Units sold per hour over a session's 48 hours, as an accessible SVG bar chart. */
export function SalesChart({ perHour, elapsedHours }: { perHour: number[]; elapsedHours: number }) {
  const { t } = useTranslation()
  const W = 720,
    H = 220,
    pad = { l: 36, r: 8, t: 12, b: 28 }
  const max = Math.max(1, ...perHour)
  const step = niceStep(max)
  const top = Math.ceil(max / step) * step
  const bw = (W - pad.l - pad.r) / perHour.length
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / top)
  const total = perHour.reduce((s, v) => s + v, 0)
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="sales-chart"
      role="img"
      aria-label={`${t('catalog.dashboard.chart')}: ${total}`}
      data-testid="sales-chart"
    >
      {Array.from({ length: top / step + 1 }, (_, i) => i * step).map((v) => (
        <g key={v}>
          <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} stroke="#e6e2dc" />
          <text x={pad.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#6e6e73">
            {v}
          </text>
        </g>
      ))}
      {elapsedHours < perHour.length && (
        <rect
          x={pad.l + elapsedHours * bw}
          y={pad.t}
          width={(perHour.length - elapsedHours) * bw}
          height={H - pad.t - pad.b}
          fill="#faf8f5"
        />
      )}
      {perHour.map((v, i) => (
        <rect
          key={i}
          x={pad.l + i * bw + 1}
          y={y(Math.max(0, v))}
          width={Math.max(1, bw - 2)}
          height={Math.max(0, y(0) - y(Math.max(0, v)))}
          fill="#d7263d"
          rx="1.5"
        >
          <title>{`${t('catalog.dashboard.hour', { h: i + 1 })}: ${v}`}</title>
        </rect>
      ))}
      {[0, 12, 24, 36, 48].map((h) => (
        <text key={h} x={pad.l + h * bw} y={H - 8} textAnchor="middle" fontSize="11" fill="#6e6e73">
          {h}h
        </text>
      ))}
    </svg>
  )
}

function niceStep(max: number) {
  const raw = max / 4
  const pow = 10 ** Math.floor(Math.log10(Math.max(1, raw)))
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? pow * 10
}
