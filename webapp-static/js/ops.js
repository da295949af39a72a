// The operations page: the feed's snapshots as charts of the last five minutes, and the newest
// numbers at a glance.

import { FeedConnection } from './ops-feed.js';
import { OpsCharts } from './ops-charts.js';
import { claimsOf, takeFragmentSignIn } from './sign-in.js';

const $ = (id) => document.getElementById(id);
const charts = new OpsCharts((id) => $(`chart-${id}`));

/** The tiles: what each shows of the newest snapshot, or of the five minutes drawn. */
const TILES = {
  'now-connections': (p) => p.sessions.chat + p.sessions.sse + p.sessions.echo + p.sessions.feed,
  'now-rooms': (p) => p.rooms,
  'now-in': (p) => p.in,
  'now-out': (p) => p.out,
  'now-p99': (p) => (p.fanoutP99Ms === null ? '–' : `${p.fanoutP99Ms.toFixed(1)} ms`),
  'now-slow': (p, points) => points.reduce((sum, q) => sum + q.slowConsumers, 0),
};

function showNewest() {
  const { points } = charts;
  const newest = points.at(-1);
  if (!newest) return;
  for (const [id, read] of Object.entries(TILES)) $(id).textContent = String(read(newest, points));
  $('no-closes').hidden = points.some((p) => Object.keys(p.closes).length > 0);
  $('updated').textContent = `updated ${new Date(newest.ts).toLocaleTimeString()}`;
  $('updated').dateTime = new Date(newest.ts).toISOString();
}

const signIn = takeFragmentSignIn();
if (signIn.accessToken) {
  const claims = claimsOf(signIn.accessToken);
  $('identity').textContent = `signed in as ${claims?.name ?? claims?.sub ?? '?'}`;
  $('identity').hidden = false;
}

const feed = new FeedConnection(signIn);
feed.addEventListener('backlog', (event) => {
  charts.reset(event.detail.points);
  showNewest();
});
feed.addEventListener('snapshot', (event) => {
  charts.add(event.detail);
  showNewest();
});
feed.addEventListener('state', (event) => {
  const { state, retryAt, reason } = event.detail;
  const status = $('status');
  status.dataset.state = state;
  status.textContent =
    state === 'reconnecting' && retryAt
      ? `reconnecting in ${Math.max(1, Math.round((retryAt - Date.now()) / 1000))} s`
      : state;
  $('alert').hidden = !reason;
  $('alert').textContent = reason ?? '';
});
feed.start();
