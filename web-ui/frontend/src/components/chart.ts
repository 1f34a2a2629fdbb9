import type { Chart as ChartType } from 'chart.js';

export type ChartKind = 'bar' | 'line';

export interface ChartData {
  kind: ChartKind;
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
  xTitle?: string;
  yTitle?: string;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569'];

let loaded: Promise<typeof import('chart.js')> | null = null;

/** chart.js is loaded on first use and only the pieces needed for bar and line charts are registered. */
async function chartJs(): Promise<typeof import('chart.js')> {
  loaded ??= import('chart.js').then((m) => {
    m.Chart.register(m.BarController, m.LineController, m.CategoryScale, m.LinearScale, m.BarElement,
      m.LineElement, m.PointElement, m.Legend, m.Tooltip);
    return m;
  });
  return loaded;
}

export async function drawChart(canvas: HTMLCanvasElement, data: ChartData, previous?: ChartType | null): Promise<ChartType> {
  const { Chart } = await chartJs();
  previous?.destroy();
  return new Chart(canvas, {
    type: data.kind,
    data: {
      labels: data.labels,
      datasets: data.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        backgroundColor: PALETTE[i % PALETTE.length] + (data.kind === 'bar' ? 'cc' : '33'),
        borderColor: PALETTE[i % PALETTE.length],
        borderWidth: data.kind === 'line' ? 2 : 1,
        pointRadius: data.labels.length > 60 ? 0 : 3,
        tension: 0.2,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: data.datasets.length > 1 } },
      scales: {
        x: { title: { display: !!data.xTitle, text: data.xTitle ?? '' } },
        y: { beginAtZero: true, title: { display: !!data.yTitle, text: data.yTitle ?? '' } },
      },
    },
  });
}

/** Pivots result rows into chart series: x column -> labels, y column -> values, optional series column. */
export function pivot(columns: string[], rows: unknown[][], x: string, y: string, series: string | null, kind: ChartKind): ChartData {
  const xi = columns.indexOf(x);
  const yi = columns.indexOf(y);
  const si = series ? columns.indexOf(series) : -1;
  const labels: string[] = [];
  const bySeries = new Map<string, Map<string, number | null>>();
  for (const row of rows) {
    const label = String(row[xi] ?? '∅');
    if (!labels.includes(label)) labels.push(label);
    const name = si >= 0 ? String(row[si] ?? '∅') : y;
    if (!bySeries.has(name)) bySeries.set(name, new Map());
    const v = row[yi];
    const n = typeof v === 'number' ? v : v === null || v === undefined || v === '' ? null : Number(v);
    bySeries.get(name)!.set(label, n !== null && Number.isFinite(n) ? n : null);
  }
  return {
    kind,
    labels,
    xTitle: x,
    yTitle: y,
    datasets: [...bySeries.entries()].map(([label, values]) => ({ label, data: labels.map((l) => values.get(l) ?? null) })),
  };
}
