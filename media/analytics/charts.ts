import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import type * as z from 'zod/mini';
import type { statsSchema } from '../../src/webviews/analytics/protocol';
import { dayLabel, money, ms, wrap } from './format';
import type { Theme } from './theme';
import { withAlpha } from './theme';

// Only the pieces the dashboard draws: keeps the bundle small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

type Stats = z.infer<typeof statsSchema>;
type ChartName = 'tasks' | 'cost' | 'latency' | 'escalations' | 'findings';
type Config = ChartConfiguration<'bar', (number | null)[], string | string[]>;

const SEVERITY_ORDER = ['error', 'warning', 'info', 'hint'];

function bar(label: string, data: (number | null)[], colour: string, extra: Partial<ChartDataset<'bar', (number | null)[]>> = {}): ChartDataset<'bar', (number | null)[]> {
  return { label, data, backgroundColor: withAlpha(colour, 0.85), borderColor: withAlpha(colour, 1), borderWidth: 1, maxBarThickness: 36, ...extra };
}

/** Five charts over one `Stats`, created once and updated in place so live refreshes do not flicker. */
export class Charts {
  private readonly charts = new Map<ChartName, Chart<'bar', (number | null)[], string | string[]>>();

  constructor(private theme: Theme) {}

  /** A theme change rebuilds every chart with the new colours. */
  setTheme(theme: Theme): void {
    this.theme = theme;
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }

  render(stats: Stats): void {
    const t = this.theme;
    Chart.defaults.color = t.foreground;
    Chart.defaults.borderColor = withAlpha(t.grid, 0.6);
    Chart.defaults.font.family = t.fontFamily;
    Chart.defaults.font.size = Math.max(11, t.fontSize - 1);
    const labels = stats.daily.map((d) => dayLabel(d.date));
    const tasks = stats.tasks.total;

    this.draw('tasks', tasks > 0, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          bar('Local', stats.daily.map((d) => d.local), t.green),
          bar('Cloud', stats.daily.map((d) => d.cloud), t.blue),
          bar('Escalated', stats.daily.map((d) => d.escalated), t.orange),
        ],
      },
      options: this.options({ stacked: true, yTitle: 'tasks', integer: true }),
    });

    this.draw('cost', tasks > 0, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          bar('Cost', stats.daily.map((d) => d.costUsd), t.blue),
          // The hypothetical baseline in a neutral grey: a translucent hue turns muddy on dark themes.
          bar('All on Claude', stats.daily.map((d) => d.cloudCostUsd), t.muted, { backgroundColor: withAlpha(t.muted, 0.45) }),
        ],
      },
      options: this.options({ yTitle: 'USD', money: true }),
    });

    const timed = stats.models.filter((m) => m.latencyP50Ms !== undefined);
    this.fitHeight('latency', timed.length);
    this.draw('latency', timed.length > 0, {
      type: 'bar',
      data: {
        labels: timed.map((m) => wrap(m.model, 28, 2)),
        datasets: [
          bar('p50', timed.map((m) => m.latencyP50Ms ?? null), t.blue),
          bar('p95', timed.map((m) => m.latencyP95Ms ?? null), t.purple),
          bar('TTFT p50', timed.map((m) => m.ttftP50Ms ?? null), t.green),
        ],
      },
      options: this.options({ horizontal: true, yTitle: 'ms', duration: true, titles: timed.map((m) => `${m.provider}/${m.model} · ${m.tasks} tasks`) }),
    });

    const reasons = stats.escalation.reasons.slice(0, 8);
    this.fitHeight('escalations', reasons.length * 1.5);
    this.draw('escalations', reasons.length > 0, {
      type: 'bar',
      data: { labels: reasons.map((r) => wrap(r.reason, 24)), datasets: [bar('Escalations', reasons.map((r) => r.count), t.orange)] },
      options: this.options({ horizontal: true, integer: true, legend: false, titles: reasons.map((r) => (r.examples?.length ? `${r.reason}, e.g. ${r.examples[0]}` : r.reason)) }),
    });
    // A canvas says nothing to a screen reader: the label carries what the bars show.
    this.describe('escalations', reasons.length ? `Escalation reasons: ${reasons.map((r) => `${r.reason}, ${r.count} ${r.count === 1 ? 'task' : 'tasks'}`).join('; ')}` : 'Escalation reasons: none');

    const severities = Object.keys(stats.policy.bySeverity).filter((k) => stats.policy.bySeverity[k] > 0).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const sevColour: Record<string, string> = { error: t.red, warning: t.yellow, info: t.blue, hint: t.green };
    this.draw('findings', stats.policy.runs > 0, {
      type: 'bar',
      data: {
        labels,
        datasets: severities.length
          ? severities.map((s) => bar(s, stats.daily.map((d) => d.findingsBySeverity[s] ?? 0), sevColour[s] ?? t.purple))
          : [bar('findings', stats.daily.map((d) => d.findings), t.purple)],
      },
      options: this.options({ stacked: true, yTitle: 'findings', integer: true }),
    });
  }

  private options(o: {
    stacked?: boolean;
    horizontal?: boolean;
    yTitle?: string;
    integer?: boolean;
    money?: boolean;
    duration?: boolean;
    legend?: boolean;
    titles?: string[];
  }): Config['options'] {
    const t = this.theme;
    const value = (n: number) => (o.money ? money(n) : o.duration ? ms(n) : String(n));
    const valueAxis = {
      stacked: o.stacked,
      beginAtZero: true,
      grid: { color: withAlpha(t.grid, 0.5) },
      ticks: { color: t.muted, precision: o.integer ? 0 : undefined, callback: (v: string | number) => value(Number(v)) },
      title: { display: !!o.yTitle && !o.horizontal, text: o.yTitle ?? '', color: t.muted },
    };
    const categoryAxis = { stacked: o.stacked, grid: { display: false }, ticks: { color: t.muted, autoSkip: true, maxRotation: 0 } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: o.horizontal ? 'y' : 'x',
      interaction: { mode: 'index', intersect: false },
      scales: o.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: o.legend !== false, position: 'bottom', labels: { color: t.foreground, boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'bar'>[]) => (o.titles && items[0] ? o.titles[items[0].dataIndex] : items[0]?.label) ?? '',
            label: (item: TooltipItem<'bar'>) => `${item.dataset.label}: ${item.raw === null ? '–' : value(Number(item.raw))}`,
          },
        },
      },
    };
  }

  /** Horizontal bar charts grow with their rows instead of squashing them. */
  private fitHeight(name: ChartName, rows: number): void {
    const box = document.querySelector<HTMLElement>(`[data-chart="${name}"] .chart`);
    if (box) box.style.height = `${Math.max(180, 60 + rows * 44)}px`;
  }

  private describe(name: ChartName, label: string): void {
    document.getElementById(`chart-${name}`)?.setAttribute('aria-label', label);
  }

  private draw(name: ChartName, hasData: boolean, config: Config): void {
    const card = document.querySelector<HTMLElement>(`[data-chart="${name}"]`);
    const canvas = document.getElementById(`chart-${name}`) as HTMLCanvasElement | null;
    if (!card || !canvas) return;
    card.classList.toggle('no-data', !hasData);
    card.querySelector<HTMLElement>('.none')!.hidden = hasData;
    const existing = this.charts.get(name);
    if (existing) {
      existing.data = config.data;
      existing.options = config.options ?? {};
      existing.update('none');
      return;
    }
    this.charts.set(name, new Chart(canvas, config));
  }
}

function rank(severity: string): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
}
