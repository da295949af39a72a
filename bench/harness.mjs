// Runs every scenario against Parley and its peers, one server at a time, and writes
// target/bench/results.json (raw) and target/bench/results.md (the tables). bench/run builds what
// it needs first; see docs/benchmarks.md.
//
// usage: node bench/harness.mjs [--smoke] [--jfr] [--servers=parley,parley-2-nodes,bare-glassfish,bare-glassfish-cdi,
//                               parley-payara,parley-tomcat,bare-tomcat,node-ws,python]
//                               [--scenarios=echo,fanout,connections,mixed,feed]
//                               [--parley-war=FILE] (another build of Parley, for before/after)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { renderMarkdown } from './lib/report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target', 'bench');
const args = process.argv.slice(2);
const option = (name, fallback) =>
  (args.find((a) => a.startsWith(`--${name}=`)) ?? `=${fallback}`).split('=')[1];
/** A file named on the command line, relative to where the harness was started. */
const fileOption = (name, fallback) => resolve(option(name, fallback));
const smoke = args.includes('--smoke');

/** Durations and sizes: the full run, or a smoke run of seconds that only proves it works. */
const plan = smoke
  ? {
      echo: { warmupSeconds: 0.5, seconds: 1, bytes: 64, clientCounts: [1, 4] },
      fanout: { members: 50, rates: [10, 20], serverWarmupSeconds: 1, warmupSeconds: 0.5, seconds: 1 },
      connections: { count: 300, perRoom: 100, concurrency: 50 },
      mixed: { rooms: 10, perRoom: 5, ratePerMember: 1, warmupSeconds: 1, seconds: 2 },
      feed: { count: 50, concurrency: 50, warmupSeconds: 1, seconds: 2 },
    }
  : {
      echo: { warmupSeconds: 3, seconds: 10, bytes: 64, clientCounts: [1, 32] },
      fanout: {
        members: 1000,
        rates: [5, 10, 20, 40, 80, 160],
        serverWarmupSeconds: 15,
        warmupSeconds: 1,
        seconds: 5,
      },
      connections: { count: 10000, perRoom: 100, concurrency: 100 },
      mixed: { rooms: 200, perRoom: 10, ratePerMember: 1, warmupSeconds: 3, seconds: 15 },
      feed: { count: 1000, concurrency: 100, warmupSeconds: 5, seconds: 20 },
    };

const P99_LIMIT_MICROS = 100_000;

// Parley runs with its documented defaults except the limits a benchmark must lift: every
// connection comes from 127.0.0.1, and the fan-out sender says more than 20 messages a second.
const parleyEnv = {
  PARLEY_MAX_CONNECTIONS_PER_ADDRESS: '0',
  PARLEY_RATE_PER_SECOND: '1000000',
  PARLEY_RATE_BURST: '1000000',
};

const glassfish = join(out, 'lib', 'glassfish-embedded-all.jar');

/** Embedded GlassFish on loopback serving one WAR at the root. */
function onGlassfish(port, name, war) {
  return [
    'java',
    ...jfr(name),
    '-jar',
    glassfish,
    ...(args.includes('--stock-glassfish') ? [] : [`--properties=${glassfishConfig}`]),
    `--properties=${loopbackOnly}`,
    `--httpPort=${port}`,
    '--noInfo',
    war,
  ];
}

function parleyOnGlassfish(port, name) {
  return onGlassfish(port, name, fileOption('parley-war', join(root, 'target', 'parley.war')));
}

/** With --jfr, each JVM records a Flight Recorder profile of its whole run into target/bench. */
const jfr = (name) =>
  args.includes('--jfr')
    ? [`-XX:StartFlightRecording=filename=${join(out, `${name}.jfr`)},settings=profile,dumponexit=true`]
    : [];
const loopbackOnly = join(root, 'bench', 'peers', 'glassfish-loopback.properties');
/** The GlassFish configuration that ./mvnw -Prun and the tests use (--stock-glassfish: without). */
const glassfishConfig = join(root, 'src', 'main', 'glassfish', 'glassfish.properties');

/** Each server: how to start it, what it serves, and which scenarios it takes part in. */
const servers = {
  parley: {
    port: 19180,
    command: (port, name) => parleyOnGlassfish(port, name),
    env: parleyEnv,
    jvm: true,
    chat: true,
    streams: true, // chat members on event streams too: /sse/chat
    scenarios: ['echo', 'fanout', 'connections', 'mixed', 'feed'],
  },
  'bare-glassfish': {
    port: 19181,
    command: (port, name) => onGlassfish(port, name, join(out, 'bare-echo.war')),
    jvm: true,
    chat: false,
    scenarios: ['echo', 'connections'],
  },
  // The same bare endpoint with CDI on: what a handshake costs GlassFish in a WAR like Parley's.
  'bare-glassfish-cdi': {
    port: 19190,
    command: (port, name) => onGlassfish(port, name, join(out, 'bare-echo-cdi.war')),
    jvm: true,
    chat: false,
    scenarios: ['connections'],
  },
  // Two Parley nodes sharing one room through Redis, all three on the server's core: what going
  // through Redis costs, not what a second machine would add.
  'parley-2-nodes': {
    port: 19187,
    nodes: [19187, 19188],
    redisPort: 19189,
    env: parleyEnv,
    jvm: true,
    chat: true,
    scenarios: ['fanout', 'mixed'],
  },
  'parley-payara': {
    port: 19186,
    command: (port, name) => [
      'java',
      ...jfr(name),
      '-jar',
      join(out, 'lib', 'payara-micro.jar'),
      '--nocluster',
      '--prebootcommandfile',
      join(root, 'src', 'test', 'payara', 'pre-boot-commands.asadmin'),
      '--port',
      port,
      '--contextroot',
      '/',
      '--deploy',
      fileOption('parley-war', join(root, 'target', 'parley.war')),
    ],
    env: parleyEnv,
    jvm: true,
    chat: true,
    scenarios: ['echo', 'fanout', 'connections', 'mixed', 'feed'],
  },
  'parley-tomcat': {
    port: 19184,
    command: (port, name) => tomcat(port, name, join(root, 'target', 'parley-tomcat.war')),
    env: parleyEnv,
    jvm: true,
    chat: true,
    streams: true,
    scenarios: ['echo', 'fanout', 'connections', 'mixed', 'feed'],
  },
  'bare-tomcat': {
    port: 19185,
    command: (port, name) => tomcat(port, name, join(out, 'bare-echo.war')),
    jvm: true,
    chat: false,
    scenarios: ['echo', 'connections'],
  },
  'node-ws': {
    port: 19182,
    command: (port) => [process.execPath, join(root, 'bench', 'peers', 'node-ws', 'server.mjs'), port],
    jvm: false,
    chat: true,
    scenarios: ['echo', 'fanout', 'connections', 'mixed'],
  },
  python: {
    port: 19183,
    command: (port) => [
      '/usr/bin/python3',
      '-W',
      'ignore',
      join(root, 'bench', 'peers', 'python', 'echo_server.py'),
      port,
    ],
    jvm: false,
    chat: false,
    scenarios: ['echo', 'connections'],
  },
};

/**
 * A Tomcat of its own for one WAR, deployed at the root: a base directory with our server.xml and
 * the distribution's default web.xml, run in the foreground.
 */
function tomcat(port, name, war) {
  const home = join(out, 'tomcat-home');
  const base = join(out, `tomcat-${name}`);
  rmSync(base, { recursive: true, force: true });
  for (const dir of ['conf', 'webapps', 'logs', 'temp', 'work']) {
    mkdirSync(join(base, dir), { recursive: true });
  }
  copyFileSync(join(root, 'bench', 'peers', 'tomcat', 'server.xml'), join(base, 'conf', 'server.xml'));
  copyFileSync(join(home, 'conf', 'web.xml'), join(base, 'conf', 'web.xml'));
  copyFileSync(war, join(base, 'webapps', 'ROOT.war'));
  return [
    'java',
    ...jfr(name),
    '-cp',
    `${join(home, 'bin', 'bootstrap.jar')}:${join(home, 'bin', 'tomcat-juli.jar')}`,
    `-Dcatalina.home=${home}`,
    `-Dcatalina.base=${base}`,
    `-Djava.io.tmpdir=${join(base, 'temp')}`,
    `-Dbench.port=${port}`,
    'org.apache.catalina.startup.Bootstrap',
    'start',
  ];
}

// Server on core 0, load generator on core 1, when there are two cores to give.
const pinned = cpus().length >= 2;
const pin = (core, command) => (pinned ? ['taskset', '-c', String(core), ...command] : command);

const jcmd = join(dirname(realpathSync(execFileSync('which', ['java']).toString().trim())), 'jcmd');

async function main() {
  mkdirSync(join(out, 'logs'), { recursive: true });
  const chosenServers = option('servers', Object.keys(servers).join(',')).split(',');
  const chosenScenarios = option('scenarios', 'echo,fanout,connections,mixed,feed').split(',');
  const results = { environment: environment(), smoke, pinned, runs: [] };
  for (const name of chosenServers) {
    const server = servers[name];
    if (!server) {
      throw new Error(`Unknown server ${name}; known: ${Object.keys(servers).join(', ')}`);
    }
    const scenarios = server.scenarios.filter((s) => chosenScenarios.includes(s));
    if (scenarios.length === 0) {
      continue;
    }
    const children = server.nodes ? await startCluster(name, server) : [await start(name, server)];
    try {
      for (const scenario of scenarios) {
        for (const run of runsOf(scenario, name, server, children.map((child) => child.pid))) {
          console.log(`${name}: ${scenario} ${run.label}`);
          // A run that fails is reported, and the others still run.
          const result = await load(run.spec).catch((error) => ({ error: error.message }));
          console.log(`  ${JSON.stringify(result)}`);
          results.runs.push({ server: name, scenario, label: run.label, result });
        }
      }
    } finally {
      await Promise.all(children.map(stop));
    }
  }
  writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(out, 'results.md'), renderMarkdown(results));
  console.log(`\nWrote ${join(out, 'results.md')} and results.json`);
  const broken = results.runs.filter((run) => !worked(run));
  if (broken.length > 0) {
    console.error(`These runs did not do their work:\n${JSON.stringify(broken, null, 2)}`);
    process.exitCode = 1;
  }
}

/**
 * Whether a run did what it set out to, whatever its speed: echoes came back, every connection
 * opened, and the fan-out's first rate and the mixed chat delivered every message.
 */
function worked({ scenario, result }) {
  if (result.error) {
    return false;
  }
  switch (scenario) {
    case 'echo':
      return result.messagesPerSecond > 0;
    case 'fanout':
      return result.steps[0].deliveries === result.steps[0].expectedDeliveries;
    case 'connections':
      return result.stillOpen === result.connections;
    case 'mixed':
      return result.expectedDeliveries > 0 && result.deliveries === result.expectedDeliveries;
    case 'feed':
      return result.feed.framesPerSecond > 0 && result.chat.framesPerSecond > 0;
    default:
      return false;
  }
}

/** The HTTP address of a server's WebSocket base, for its event streams. */
const httpOf = (wsBase) => wsBase.replace(/^ws/, 'http');

/** The load-generator runs of one scenario on one server. */
function runsOf(scenario, name, server, serverPids) {
  const base = `ws://127.0.0.1:${server.port}`;
  const bases = (server.nodes ?? [server.port]).map((port) => `ws://127.0.0.1:${port}`);
  const p = plan[scenario];
  switch (scenario) {
    case 'echo':
      return p.clientCounts.map((clients) => ({
        label: `${clients} client${clients > 1 ? 's' : ''}`,
        spec: { kind: 'echo', url: `${base}/echo`, clients, serverPids, ...p },
      }));
    case 'fanout': {
      const fanout = {
        label: `${p.members} members`,
        spec: {
          kind: 'fanout',
          bases,
          room: 'fanout',
          p99LimitMicros: P99_LIMIT_MICROS,
          serverPids,
          ...p,
        },
      };
      // the same room with its members on event streams (GET /sse/chat), beside it
      const onStreams = {
        label: `${p.members} members on event streams`,
        spec: { ...fanout.spec, room: 'fanout-streams', streamBases: bases.map(httpOf) },
      };
      return server.streams ? [fanout, onStreams] : [fanout];
    }
    case 'connections': {
      const idle = {
        label: `${p.count} idle ${server.chat ? 'chat' : 'echo'} connections`,
        spec: {
          kind: 'connections',
          urlPattern: server.chat ? `${base}/chat/idle-{room}?name=u{i}` : `${base}/echo`,
          chat: server.chat,
          jcmd: server.jvm ? jcmd : null,
          serverPids,
          ...p,
        },
      };
      const streams = {
        label: `${p.count} idle event streams`,
        spec: { ...idle.spec, urlPattern: `${httpOf(base)}/sse/chat/idle-streams-{room}?name=u{i}` },
      };
      return server.streams ? [idle, streams] : [idle];
    }
    case 'mixed':
      return [
        {
          label: `${p.rooms} rooms x ${p.perRoom} members`,
          spec: { kind: 'mixed', bases, serverPids, ...p },
        },
      ];
    case 'feed':
      return [
        {
          label: `${p.count} watchers`,
          spec: {
            kind: 'feed',
            feedUrl: `${base}/feed/metrics`,
            chatUrl: `${base}/chat/watched`,
            jcmd: server.jvm ? jcmd : null,
            serverPids,
            ...p,
          },
        },
      ];
    default:
      throw new Error(`Unknown scenario ${scenario}`);
  }
}

/** Runs the load generator pinned to its own core and returns the JSON it prints. */
function load(spec) {
  return new Promise((resolve, reject) => {
    const command = pin(1, [process.execPath, join(root, 'bench', 'lib', 'load.mjs'), JSON.stringify(spec)]);
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('exit', (code) => {
      if (code === 0) {
        resolve(JSON.parse(stdout.trim().split('\n').pop()));
      } else {
        const cause = stderr.split('\n').find((line) => line.startsWith('Error')) ?? stderr.trim();
        reject(new Error(`load generator failed (${code}): ${cause}`));
      }
    });
  });
}

/** Starts a server pinned to core 0 and waits until its /echo answers. */
async function start(name, server) {
  if (await answers(`ws://127.0.0.1:${server.port}/echo`)) {
    throw new Error(`Port ${server.port} is taken: another server would be measured instead of ${name}`);
  }
  const log = openSync(join(out, 'logs', `${name}.log`), 'w');
  const command = pin(0, server.command(String(server.port), name));
  const child = spawn(command[0], command.slice(1), {
    cwd: out,
    env: { ...process.env, ...(server.env ?? {}) },
    stdio: ['ignore', log, log],
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 180_000;
  while (!(await answers(`ws://127.0.0.1:${server.port}/echo`))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start; see ${join(out, 'logs', `${name}.log`)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`${name} is up (pid ${child.pid})`);
  return child;
}

/** Redis, then each node with PARLEY_REDIS_URI pointing at it; stopped together. */
async function startCluster(name, server) {
  const redisLog = openSync(join(out, 'logs', `${name}-redis.log`), 'w');
  const redisCommand = pin(0, [
    'redis-server',
    '--port',
    String(server.redisPort),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const redis = spawn(redisCommand[0], redisCommand.slice(1), { stdio: ['ignore', redisLog, redisLog] });
  const children = [redis];
  try {
    for (const [index, port] of server.nodes.entries()) {
      const node = `${name}-${String.fromCharCode(97 + index)}`;
      children.push(
        await start(node, {
          port,
          command: (p) => parleyOnGlassfish(p, node),
          env: { ...server.env, PARLEY_REDIS_URI: `redis://127.0.0.1:${server.redisPort}` },
        }),
      );
    }
  } catch (error) {
    await Promise.all(children.map(stop));
    throw error;
  }
  // Node processes first: the fan-out's server CPU is theirs plus Redis's.
  return [...children.slice(1), redis];
}

function answers(url) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.close();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
  });
}

function environment() {
  const firstLine = (command, args) => {
    try {
      return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        .toString()
        .split('\n')[0]
        .trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0].model,
    cores: cpus().length,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    java: spawnSync('java', ['-version']).stderr.toString().split('\n')[0].trim(),
    node: process.version,
    ws: JSON.parse(readFileSync(join(root, 'bench', 'node_modules', 'ws', 'package.json'), 'utf8')).version,
    redis: firstLine('redis-server', ['--version']),
    pythonWebsockets: firstLine('/usr/bin/python3', ['-c', 'import websockets; print(websockets.__version__)']),
  };
}

await main();
