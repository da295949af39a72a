// The operations page's charts: the last five minutes of snapshots, one point a second, drawn
// with uPlot on canvas. Each chart is told its series once; closes get a series per close code
// as codes appear.

import uPlot from 'uplot';

export const KEPT_POINTS = 300; // five minutes

const COLORS = ['#2457c5', '#1d7a46', '#a15c00', '#b3261e', '#6b3fa0', '#00838f', '#5b6575'];

/** What each chart shows: its series, each read from a snapshot. */
const CHARTS = [
  {
    id: 'connections',
    series: [
      ['chat (WebSocket)', (p) => p.sessions.chat],
      ['chat (event stream)', (p) => p.sessions.sse],
      ['echo', (p) => p.sessions.echo],
      ['feed', (p) => p.sessions.feed],
    ],
  },
  { id: 'rooms', series: [['rooms', (p) => p.rooms]] },
  {
    id: 'messages',
    series: [
      ['in /s', (p) => p.in],
      ['out /s', (p) => p.out],
    ],
  },
  {
    id: 'fanout',
    series: [
      ['p50 ms', (p) => p.fanoutP50Ms],
      ['p99 ms', (p) => p.fanoutP99Ms],
    ],
  },
  { id: 'slow', series: [['dropped /s', (p) => p.slowConsumers]] },
  { id: 'closes', series: [] }, // one per close code, added as they appear
];

export class OpsCharts {
  #points = [];
  #charts = new Map(); // id -> {plot, series, element}
  #closeCodes = [];

  /** @param containerOf id -> the element a chart is drawn in */
  constructor(containerOf) {
    for (const chart of CHARTS) {
      const element = containerOf(chart.id);
      const plot = new uPlot(
        {
          width: Math.max(200, element.clientWidth),
          height: 170,
          series: [{}, ...chart.series.map(([label], i) => this.#series(label, i))],
          scales: { x: { time: true } },
          axes: [{}, { size: 50 }],
          legend: { live: false },
        },
        [[], ...chart.series.map(() => [])],
        element,
      );
      this.#charts.set(chart.id, { plot, series: [...chart.series], element });
      new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: 170 })).observe(
        element,
      );
    }
  }

  /** Replaces everything shown: the backlog of a new connection. */
  reset(points) {
    this.#points = points.slice(-KEPT_POINTS);
    this.#draw();
  }

  add(point) {
    this.#points.push(point);
    if (this.#points.length > KEPT_POINTS) this.#points.shift();
    this.#draw();
  }

  /** The snapshots drawn, oldest first. */
  get points() {
    return this.#points;
  }

  #draw() {
    this.#addNewCloseCodes();
    const times = this.#points.map((p) => p.ts / 1000);
    for (const [id, { plot, series, element }] of this.#charts) {
      plot.setData([times, ...series.map(([, read]) => this.#points.map((p) => read(p) ?? null))]);
      element.dataset.points = String(this.#points.length);
      element.dataset.newest = String(this.#points.at(-1)?.ts ?? '');
    }
  }

  #addNewCloseCodes() {
    const closes = this.#charts.get('closes');
    for (const point of this.#points) {
      for (const code of Object.keys(point.closes)) {
        if (this.#closeCodes.includes(code)) continue;
        this.#closeCodes.push(code);
        closes.series.push([code, (p) => p.closes[code] ?? 0]);
        closes.plot.addSeries(this.#series(code, closes.series.length - 1));
      }
    }
  }

  #series(label, index) {
    return { label, stroke: COLORS[index % COLORS.length], width: 1.5, spanGaps: false };
  }
}
