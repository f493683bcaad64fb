// A uPlot chart (canvas) sized to its box and coloured from the theme's CSS variables; redrawn when the
// data, the width or the theme changes. uPlot was chosen for bundle size and speed (docs/ARCHITECTURE.md).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useDarkMode } from '../artifacts/useDarkMode';

export interface ChartSeries {
  label: string;
  /** CSS variable or colour, e.g. 'var(--accent)'. */
  color: string;
  values: (number | null)[];
  bars?: boolean;
  dash?: boolean;
}

const cssVar = (v: string) => {
  const m = /^var\((--[\w-]+)\)$/.exec(v);
  return m ? getComputedStyle(document.documentElement).getPropertyValue(m[1]).trim() || '#888' : v;
};

/**
 * Categories along x (months, severities, classes), one or more series; bars when `bars` is set on a
 * series (grouped side by side), lines otherwise. `label` describes the chart for screen readers.
 */
export function Chart({ label, categories, series, unit, height = 220, testid }: { label: string; categories: string[]; series: ChartSeries[]; unit: string; height?: number; testid?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();

  useEffect(() => {
    const el = box.current;
    if (!el || !categories.length) return;
    const text = cssVar('var(--text-2)');
    const grid = cssVar('var(--border)');
    const nBars = series.filter((s) => s.bars).length;
    let bar = 0;
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: () => [-0.5, categories.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (categories[v] ?? '') : '')), splits: () => categories.map((_, i) => i), space: 20 },
        { ...axis, label: unit, labelSize: 20, size: 56 },
      ],
      series: [
        { label: 'group', value: (_u, v) => (v === null || v === undefined ? '' : (categories[v] ?? '')) },
        ...series.map((s) => {
          const c = cssVar(s.color);
          if (s.bars) {
            const i = bar++;
            const w = 0.8 / nBars;
            return {
              label: s.label, stroke: c, fill: c, width: 0,
              // Grouped side by side: bar i of each category starts at x - 0.4 + i·w (in scale units).
              paths: uPlot.paths.bars!({
                disp: {
                  x0: { unit: 1, values: () => categories.map((_, x) => x - 0.4 + i * w) },
                  size: { unit: 1, values: () => categories.map(() => w * 0.9) },
                },
              }),
              points: { show: false },
            } satisfies uPlot.Series;
          }
          return { label: s.label, stroke: c, width: 2, dash: s.dash ? [6, 4] : undefined, points: { show: true, size: 6, fill: c }, spanGaps: false } satisfies uPlot.Series;
        }),
      ],
    };
    const data: uPlot.AlignedData = [categories.map((_, i) => i), ...series.map((s) => s.values.map((v) => (v === null ? null : v)))];
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [categories, series, unit, height, dark]);

  return (
    <figure className="chart" data-testid={testid}>
      <figcaption className="chart-title">{label}</figcaption>
      {categories.length ? <div ref={box} className="chart-box" role="img" aria-label={`${label} (chart; the same figures are in the table below)`} data-points={categories.length} /> : <p className="muted small">No data in this period.</p>}
    </figure>
  );
}
