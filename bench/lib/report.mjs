// Turns the raw results into the Markdown tables of target/bench/results.md. Every ratio compares a
// server with Parley measured in the same run.

const ms = (micros) => (micros === null || micros === undefined ? '–' : (micros / 1000).toFixed(2));
const int = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const kib = (bytes) => (bytes === null || bytes === undefined ? '–' : (bytes / 1024).toFixed(1));
const mib = (bytes) => (bytes === null || bytes === undefined ? '–' : (bytes / 1048576).toFixed(0));
const ratio = (value, reference) =>
  value === null || reference === null || reference === undefined || reference === 0
    ? '–'
    : `${(value / reference).toFixed(2)}×`;

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

function parleyResult(results, scenario, label) {
  return results.runs.find((r) => r.server === 'parley' && r.scenario === scenario && r.label === label)
    ?.result;
}

function echoTable(results) {
  const runs = results.runs.filter((r) => r.scenario === 'echo' && !r.result.error);
  return table(
    ['server', 'clients', 'msgs/s', 'vs Parley', 'median ms', 'p99 ms', 'server CPU µs/msg', 'vs Parley', 'server CPU %', 'client CPU %'],
    runs.map(({ server, label, result: r }) => {
      const ours = parleyResult(results, 'echo', label);
      return [
        server,
        r.clients,
        int(r.messagesPerSecond),
        ratio(r.messagesPerSecond, ours?.messagesPerSecond),
        ms(r.medianMicros),
        ms(r.p99Micros),
        r.serverCpuMicrosPerUnit,
        ratio(r.serverCpuMicrosPerUnit, ours?.serverCpuMicrosPerUnit),
        r.serverCpuPercent,
        r.clientCpuPercent,
      ];
    }),
  );
}

/** A server's name, and the transport of the run's members when they are on event streams. */
const named = ({ server, label }) => (label.includes('event streams') ? `${server} (event streams)` : server);

function fanoutTable(results) {
  const runs = results.runs
    .filter((r) => r.scenario === 'fanout' && !r.result.error)
    .map((run) => ({ ...run, server: named(run) }));
  const rows = [];
  for (const { server, result } of runs) {
    for (const step of result.steps) {
      rows.push([
        server,
        step.members,
        step.rate,
        int(step.deliveriesPerSecond),
        `${int(step.deliveries)} / ${int(step.expectedDeliveries)}`,
        ms(step.medianMicros),
        ms(step.p99Micros),
        step.serverCpuMicrosPerUnit,
        step.serverCpuPercent,
        step.clientCpuPercent,
      ]);
    }
  }
  const highest = runs
    .map(({ server, result }) => `${server}: ${result.highestRateWithinLimit ?? 'none'} msgs/s`)
    .join(', ');
  const joins = runs
    .map(
      ({ server, result }) =>
        `${server}: ${result.joinedSeconds} s, quiet after ${result.presenceSettledSeconds} s, at most ${result.mostPresenceFramesPerMember} presence frames per member` +
        ` (again, warm: ${result.warmJoinedSeconds} s, quiet after ${result.warmPresenceSettledSeconds} s, ${result.warmMostPresenceFramesPerMember} frames)`,
    )
    .join('; ');
  return (
    table(
      ['server', 'members', 'msgs/s in', 'deliveries/s', 'delivered / expected', 'median ms', 'p99 ms', 'server CPU µs/delivery', 'server CPU %', 'client CPU %'],
      rows,
    ) +
    `\nHighest rate with every message delivered and p99 under 100 ms — ${highest}.\n` +
    `\nJoining the room right after the server started, as after a restart (every member's welcome received; then the last presence frame), and again once it has run the steps — ${joins}.\n` +
    (runs.some((run) => run.server === 'parley-2-nodes')
      ? '\nparley-2-nodes: half the members on each node, the sender on the first; server CPU is both nodes plus Redis, all on one core.\n'
      : '')
  );
}

function connectionsTable(results) {
  const runs = results.runs.filter((r) => r.scenario === 'connections' && !r.result.error);
  return table(
    ['server', 'connections', 'still open', 'seconds to open', 'opens/s', 'RSS KiB/conn', 'heap after GC KiB/conn', 'heap after GC MiB (total)'],
    runs.map(({ server, label, result: r }) => [
      `${server} (${label.includes('event streams') ? 'chat, event streams' : label.includes('chat') ? 'chat' : 'echo'})`,
      int(r.connections),
      int(r.stillOpen),
      r.secondsToOpen,
      int(r.opensPerSecond),
      kib(r.rssPerConnectionBytes),
      kib(r.heapPerConnectionBytes),
      mib(r.heapAfterGcAfterBytes),
    ]),
  );
}

function mixedTable(results) {
  const runs = results.runs.filter((r) => r.scenario === 'mixed' && !r.result.error);
  return table(
    ['server', 'rooms × members', 'deliveries/s', 'delivered / expected', 'median ms', 'p99 ms', 'server CPU %', 'server CPU µs/delivery', 'client CPU %'],
    runs.map(({ server, result: r }) => [
      server,
      `${r.rooms} × ${r.perRoom}`,
      int(r.deliveriesPerSecond),
      `${int(r.deliveries)} / ${int(r.expectedDeliveries)}`,
      ms(r.medianMicros),
      ms(r.p99Micros),
      r.serverCpuPercent,
      r.serverCpuMicrosPerUnit,
      r.clientCpuPercent,
    ]),
  );
}

function feedTable(results) {
  const runs = results.runs.filter((r) => r.scenario === 'feed' && !r.result.error);
  const rows = [];
  for (const { server, result: r } of runs) {
    for (const [what, cost] of [
      [`${int(r.watchers)} feed subscribers (1 snapshot/s each, acknowledged)`, r.feed],
      [`${int(r.watchers)} feed subscribers, no acks`, r.feedWithoutAcks],
      [`chat room of ${int(r.watchers)} (1 message/s)`, r.chat],
    ]) {
      rows.push([
        server,
        what,
        int(cost.framesPerSecond),
        cost.serverCpuPercentAboveIdle,
        cost.serverCpuMicrosPerFrame,
        kib(cost.heapAboveIdleBytes === null ? null : cost.heapAboveIdleBytes / r.watchers),
      ]);
    }
  }
  return table(
    ['server', 'watchers', 'frames/s out', 'server CPU % above idle', 'server CPU µs/frame', 'heap after GC above idle KiB/watcher'],
    rows,
  );
}

function failures(results) {
  const failed = results.runs.filter((r) => r.result.error);
  if (failed.length === 0) {
    return '';
  }
  return [
    '## Runs that failed',
    '',
    ...failed.map(({ server, scenario, label, result }) => `- ${server}, ${scenario} (${label}): ${result.error}`),
    '',
  ].join('\n');
}

export function renderMarkdown(results) {
  const e = results.environment;
  return [
    `# Benchmark results${results.smoke ? ' (smoke run: too short to compare)' : ''}`,
    '',
    `${e.date} · ${e.cpu}, ${e.cores} cores · Linux ${e.kernel} · ${e.java} · Node.js ${e.node}, ws ${e.ws} · Python websockets ${e.pythonWebsockets} · ${e.redis}`,
    `Server ${results.pinned ? 'pinned to core 0, load generator to core 1' : 'and load generator unpinned (one core)'}.`,
    '',
    '## 1. Echo round trip (64-byte text, closed loop)',
    '',
    echoTable(results),
    '## 2. Chat fan-out (one room, one sender)',
    '',
    fanoutTable(results),
    '## 3. Idle connections',
    '',
    connectionsTable(results),
    '## 4. Mixed chat (every member says 1 message/s)',
    '',
    mixedTable(results),
    '## 5. Watching: the operations feed beside a chat room',
    '',
    feedTable(results),
    failures(results),
  ].join('\n');
}
