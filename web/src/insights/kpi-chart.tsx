import type { KpiPoint } from './insights.api.js';

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { top: 8, right: 8, bottom: 20, left: 8 };

/**
 * A KPI over time as bars, one per bucket, drawn as SVG; a bucket with no value (a rate with nothing
 * to divide by) leaves a gap. With `onPick`, each bar is a button that drills down to its records.
 * A target, when given, is a dashed line.
 */
export function KpiChart({
  label,
  points,
  format,
  target,
  picked,
  onPick,
  small = false,
}: {
  label: string;
  points: KpiPoint[];
  format: (value: number | null) => string;
  target?: number;
  picked?: string;
  onPick?: (bucket: string) => void;
  small?: boolean;
}) {
  const height = small ? 64 : HEIGHT;
  const values = points.map((point) => point.value ?? 0);
  const top = Math.max(...values, target ?? 0, 1e-9);
  const inner = { width: WIDTH - PAD.left - PAD.right, height: height - PAD.top - PAD.bottom };
  const slot = inner.width / Math.max(points.length, 1);
  const y = (value: number) => PAD.top + inner.height - (value / top) * inner.height;
  const labelEvery = Math.ceil(points.length / 6);
  return (
    // With bars to press it is a group of buttons (an image may hold nothing focusable), else a picture.
    <svg className="kpi-chart" viewBox={`0 0 ${WIDTH} ${height}`} role={onPick ? 'group' : 'img'} aria-label={label}>
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} className="kpi-chart-axis" />
      {points.map((point, index) => {
        const x = PAD.left + index * slot;
        const value = point.value ?? 0;
        const title = `${point.bucket}: ${format(point.value)}`;
        const bar = (
          <>
            <title>{title}</title>
            <rect x={x} y={PAD.top} width={slot} height={inner.height} className="kpi-chart-hit" />
            {point.value !== null && (
              <rect
                x={x + slot * 0.15}
                y={y(value)}
                width={slot * 0.7}
                height={Math.max(y(0) - y(value), value > 0 ? 1 : 0)}
                className={point.bucket === picked ? 'kpi-chart-bar kpi-chart-bar-picked' : 'kpi-chart-bar'}
              />
            )}
            {!small && index % labelEvery === 0 && (
              <text x={x + slot / 2} y={height - 6} className="kpi-chart-label" textAnchor="middle">
                {point.bucket.slice(5)}
              </text>
            )}
          </>
        );
        return onPick ? (
          <g
            key={point.bucket}
            role="button"
            tabIndex={0}
            aria-label={`Records behind ${title}`}
            aria-pressed={point.bucket === picked}
            className="kpi-chart-point"
            onClick={() => onPick(point.bucket)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onPick(point.bucket);
              }
            }}
          >
            {bar}
          </g>
        ) : (
          <g key={point.bucket}>{bar}</g>
        );
      })}
      {target !== undefined && (
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(target)} y2={y(target)} className="kpi-chart-target" />
      )}
    </svg>
  );
}
