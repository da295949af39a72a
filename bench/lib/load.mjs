// The load generator: runs one scenario against one server and prints its figures as one JSON
// line. The harness starts it pinned to its own core. Every latency is measured inside this one
// process, with one clock: a sender writes its send time into the message text and the receiving
// connection subtracts it.
//
// usage: node load.mjs '<scenario as JSON>'
import { EventEmitter } from 'node:events';
import http from 'node:http';
import WebSocket from 'ws';
import {
  CpuWindow,
  heapAfterGcBytes,
  heapHistogram,
  latencySummary,
  nowMicros,
  round1,
  rssBytes,
} from './measure.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A chat member on an event stream (GET /sse/chat/ROOM), shaped like a ws socket for this file:
 * 'open', 'message' with each event's data (the same JSON as a WebSocket frame), 'close',
 * readyState, close() and terminate(). Each stream has its own TCP connection, as in a browser.
 */
function openStream(url) {
  const stream = new EventEmitter();
  stream.readyState = WebSocket.CONNECTING;
  const request = http.get(url, { agent: false, headers: { Accept: 'text/event-stream' } });
  stream.close = () => request.destroy();
  stream.terminate = stream.close;
  request.on('error', (error) => stream.emit('error', error));
  request.on('response', (response) => {
    if (response.statusCode !== 200) {
      stream.emit('error', new Error(`answered ${response.statusCode}`));
      response.resume();
      return;
    }
    response.setEncoding('utf8');
    let pending = '';
    response.on('data', (chunk) => {
      pending += chunk;
      for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
        const data = pending
          .slice(0, end)
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        pending = pending.slice(end + 2);
        if (data) stream.emit('message', data); // comments (keep-alives) carry no data
      }
    });
    response.on('close', () => {
      stream.readyState = WebSocket.CLOSED;
      stream.emit('close', 1006, 'stream ended');
    });
    stream.readyState = WebSocket.OPEN;
    stream.emit('open');
  });
  return stream;
}

/** Opens a connection and resolves once it is open (echo) or has its first frame (chat welcome). */
function connect(url, waitForFirstFrame) {
  return new Promise((resolve, reject) => {
    const socket = url.startsWith('http')
      ? openStream(url)
      : new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 30_000 });
    const fail = (error) => reject(new Error(`${url}: ${error.message ?? error}`));
    socket.once('error', fail);
    socket.once('close', (code, reason) => fail(`closed ${code} ${reason}`));
    const ready = () => {
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.on('error', () => {});
      // presence frames from the first on: a join storm's cost to each member
      socket.presenceFrames = 0;
      socket.on('message', (frame) => {
        if (frame.includes('"type":"presence"')) socket.presenceFrames++;
      });
      resolve(socket);
    };
    if (waitForFirstFrame) {
      socket.once('message', ready);
    } else {
      socket.once('open', ready);
    }
  });
}

/** Opens {@code count} connections, at most {@code concurrency} handshakes at a time. */
async function connectAll(urlOf, count, waitForFirstFrame, concurrency = 100) {
  const sockets = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      sockets[index] = await connect(urlOf(index), waitForFirstFrame);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return sockets;
}

async function closeAll(sockets) {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) {
            resolve();
            return;
          }
          socket.once('close', resolve);
          socket.close(1000);
          setTimeout(() => socket.terminate(), 5000);
        }),
    ),
  );
}

/** The send time a chat frame carries in its text, or NaN for frames that are not messages. */
function sentMicrosOf(frame) {
  const text = frame.toString();
  if (text.indexOf('"type":"message"') < 0) {
    return NaN;
  }
  const start = text.indexOf('"text":"');
  if (start < 0) {
    return NaN;
  }
  return Number(text.slice(start + 8, text.indexOf('"', start + 8)));
}

/** Closed-loop echo: each client sends its next frame when the previous one comes back. */
async function echo(s) {
  const payload = 'x'.repeat(s.bytes);
  const sockets = await connectAll(() => s.url, s.clients, false);
  const samples = [];
  let recording = false;
  let running = true;
  let completed = 0;
  for (const socket of sockets) {
    let sentAt = 0;
    const send = () => {
      sentAt = nowMicros();
      socket.send(payload);
    };
    socket.on('message', () => {
      if (recording) {
        samples.push(nowMicros() - sentAt);
        completed++;
      }
      if (running) {
        send();
      }
    });
    send();
  }
  await sleep(s.warmupSeconds * 1000);
  recording = true;
  const window = new CpuWindow(s.serverPids);
  await sleep(s.seconds * 1000);
  recording = false;
  const cpu = window.end(completed);
  running = false;
  await closeAll(sockets);
  return {
    clients: s.clients,
    bytes: s.bytes,
    messagesPerSecond: Math.round(completed / cpu.seconds),
    ...latencySummary(samples),
    ...cpu,
  };
}

/**
 * {@code s.members} members join one room at once, taking turns among the nodes. Resolves once
 * every member has its welcome and then no frame came for a second (presence is quiet).
 */
async function joinStorm(s, room) {
  const started = nowMicros();
  // members on event streams, when the run says so; the sender is always on a WebSocket
  const bases = s.streamBases ?? s.bases;
  const path = s.streamBases ? 'sse/chat' : 'chat';
  const members = await connectAll(
    (i) => `${bases[i % bases.length]}/${path}/${room}?name=m${i}`,
    s.members,
    true,
  );
  const joinedSeconds = (nowMicros() - started) / 1e6;
  let lastFrameAt = nowMicros();
  const heard = () => (lastFrameAt = nowMicros());
  members.forEach((member) => member.on('message', heard));
  const deadline = nowMicros() + 180e6;
  while (nowMicros() - lastFrameAt < 1e6 && nowMicros() < deadline) {
    await sleep(100);
  }
  members.forEach((member) => member.off('message', heard));
  return {
    members,
    joinedSeconds: round1(joinedSeconds),
    settledSeconds: round1((lastFrameAt - started) / 1e6),
    mostPresenceFrames: Math.max(...members.map((member) => member.presenceFrames)),
  };
}

/**
 * One sender says messages at a fixed rate into a room of {@code members}; every member's receipt
 * is one delivery. Steps up the rate until p99 passes the limit or a delivery goes missing.
 */
async function fanout(s) {
  // Right after the server started (cold, as after a restart): the reconnect storm users meet.
  const storm = await joinStorm(s, s.room);
  const members = storm.members;
  // Members take turns among the nodes; the sender is on the first.
  const sender = await connect(`${s.bases[0]}/chat/${s.room}?name=sender`, true);
  let samples = [];
  let received = 0;
  let recordedFrom = Infinity;
  let recordedUntil = Infinity;
  members.forEach((member) => {
    member.on('message', (frame) => {
      const sent = sentMicrosOf(frame);
      if (sent >= recordedFrom && sent < recordedUntil) {
        samples.push(nowMicros() - sent);
        received++;
      }
    });
  });
  /** Says messages at {@code rate} for the warm-up and then the measured seconds. */
  const step = async (rate, warmupSeconds, seconds) => {
    const warmupEnd = nowMicros() + warmupSeconds * 1e6;
    const end = warmupEnd + seconds * 1e6;
    samples = [];
    received = 0;
    recordedFrom = warmupEnd;
    recordedUntil = end;
    let sent = 0;
    let recorded = 0;
    const start = nowMicros();
    let window = null;
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const now = nowMicros();
        if (now >= end) {
          clearInterval(timer);
          resolve();
          return;
        }
        if (window === null && now >= warmupEnd) {
          window = new CpuWindow(s.serverPids);
        }
        const due = Math.floor(((now - start) / 1e6) * rate);
        for (; sent < due; sent++) {
          const at = nowMicros();
          if (at >= warmupEnd) {
            recorded++;
          }
          sender.send(JSON.stringify({ type: 'say', text: String(at) }));
        }
      }, 2);
    });
    const expected = recorded * s.members;
    const drainDeadline = Date.now() + 5000;
    while (received < expected && Date.now() < drainDeadline) {
      await sleep(20);
    }
    return {
      rate,
      members: s.members,
      sent: recorded,
      expectedDeliveries: expected,
      deliveries: received,
      deliveriesPerSecond: Math.round(received / seconds),
      ...latencySummary(samples),
      ...window.end(received),
    };
  };
  // A join storm that sends few frames leaves the send path cold (interpreted): warm it at the
  // lowest rate first, unmeasured, so that every server's steps measure compiled code.
  const warmup = await step(s.rates[0], 0, s.serverWarmupSeconds);
  await sleep(500);
  const steps = [];
  for (const rate of s.rates) {
    const measured = await step(rate, s.warmupSeconds, s.seconds);
    steps.push(measured);
    if (measured.deliveries < measured.expectedDeliveries || measured.p99Micros > s.p99LimitMicros) {
      break;
    }
    await sleep(500);
  }
  await closeAll([sender, ...members]);
  // The same storm once the server has run a while: what is left is the join's own cost.
  const warmStorm = await joinStorm(s, `${s.room}-again`);
  await closeAll(warmStorm.members);
  const within = steps.filter(
    (step) => step.deliveries === step.expectedDeliveries && step.p99Micros <= s.p99LimitMicros,
  );
  return {
    members: s.members,
    joinedSeconds: storm.joinedSeconds,
    presenceSettledSeconds: storm.settledSeconds,
    mostPresenceFramesPerMember: storm.mostPresenceFrames,
    warmJoinedSeconds: warmStorm.joinedSeconds,
    warmPresenceSettledSeconds: warmStorm.settledSeconds,
    warmMostPresenceFramesPerMember: warmStorm.mostPresenceFrames,
    warmup: {
      rate: warmup.rate,
      seconds: s.serverWarmupSeconds,
      deliveries: warmup.deliveries,
      expectedDeliveries: warmup.expectedDeliveries,
    },
    p99LimitMicros: s.p99LimitMicros,
    highestRateWithinLimit: within.length ? within[within.length - 1].rate : null,
    steps,
  };
}

/** Opens many idle connections and reads the server's memory before and after. */
async function connections(s) {
  const before = { rss: rssBytes(s.serverPids[0]), heap: heapAfterGcBytes(s.serverPids[0], s.jcmd) };
  const started = nowMicros();
  const sockets = await connectAll(
    (i) => s.urlPattern.replace('{room}', Math.floor(i / s.perRoom)).replace('{i}', i),
    s.count,
    s.chat,
    s.concurrency,
  );
  const seconds = (nowMicros() - started) / 1e6;
  await sleep(2000); // presence frames of the last joins
  const after = { rss: rssBytes(s.serverPids[0]), heap: heapAfterGcBytes(s.serverPids[0], s.jcmd) };
  const histogram = heapHistogram(s.serverPids[0], s.jcmd);
  const open = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  await closeAll(sockets);
  return {
    connections: s.count,
    stillOpen: open,
    secondsToOpen: round1(seconds),
    opensPerSecond: Math.round(s.count / seconds),
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    rssPerConnectionBytes: Math.round((after.rss - before.rss) / s.count),
    heapAfterGcBeforeBytes: before.heap,
    heapAfterGcAfterBytes: after.heap,
    heapPerConnectionBytes:
      after.heap === null ? null : Math.round((after.heap - before.heap) / s.count),
    histogram,
  };
}

/** Many small rooms, every member saying one message a second with its own phase. */
async function mixed(s) {
  const count = s.rooms * s.perRoom;
  const sockets = await connectAll(
    (i) => `${s.bases[i % s.bases.length]}/chat/mixed-${Math.floor(i / s.perRoom)}?name=u${i}`,
    count,
    true,
  );
  let recording = false;
  let running = true;
  let said = 0;
  let received = 0;
  let recordedFrom = Infinity;
  const samples = [];
  const timers = [];
  for (const socket of sockets) {
    socket.on('message', (frame) => {
      const sent = sentMicrosOf(frame);
      if (sent >= recordedFrom) {
        samples.push(nowMicros() - sent);
        received++;
      }
    });
    const say = () => {
      if (!running) {
        return;
      }
      const at = nowMicros();
      if (recording) {
        said++;
      }
      socket.send(JSON.stringify({ type: 'say', text: String(at) }));
    };
    timers.push(
      setTimeout(() => timers.push(setInterval(say, 1000 / s.ratePerMember)), Math.random() * 1000),
    );
  }
  await sleep(s.warmupSeconds * 1000);
  recordedFrom = nowMicros();
  recording = true;
  const window = new CpuWindow(s.serverPids);
  await sleep(s.seconds * 1000);
  running = false;
  recording = false;
  timers.forEach(clearTimeout); // clears intervals too
  const expected = said * s.perRoom;
  const drainDeadline = Date.now() + 5000;
  while (received < expected && Date.now() < drainDeadline) {
    await sleep(20);
  }
  const cpu = window.end(received);
  await closeAll(sockets);
  return {
    rooms: s.rooms,
    perRoom: s.perRoom,
    said,
    expectedDeliveries: expected,
    deliveries: received,
    deliveriesPerSecond: Math.round(received / s.seconds),
    ...latencySummary(samples),
    ...cpu,
  };
}

/**
 * What a watcher costs: {@code count} subscribers of the operations feed, each acknowledging every
 * frame as the page does, beside a chat room of as many members where one message is said a second
 * (the same thousand frames a second out). For each: the server's CPU over the measured seconds
 * and its heap after a full GC, both less the idle server's.
 */
async function feed(s) {
  const pid = s.serverPids[0];
  const idleHeap = heapAfterGcBytes(pid, s.jcmd);
  const idleWindow = new CpuWindow(s.serverPids);
  await sleep(s.seconds * 1000);
  const idle = idleWindow.end(1);

  /** Counts the frames watchers receive over the measured seconds, then what the server spent. */
  const measure = async (watchers, keepBusy) => {
    let frames = 0;
    for (const socket of watchers) socket.on('message', () => frames++);
    const busy = keepBusy();
    await sleep(s.warmupSeconds * 1000);
    frames = 0;
    const window = new CpuWindow(s.serverPids);
    await sleep(s.seconds * 1000);
    const cpu = window.end(frames);
    const seconds = cpu.seconds;
    const heap = heapAfterGcBytes(pid, s.jcmd);
    clearInterval(busy);
    return {
      framesPerSecond: Math.round(frames / seconds),
      serverCpuPercent: cpu.serverCpuPercent,
      serverCpuPercentAboveIdle: round1(cpu.serverCpuPercent - idle.serverCpuPercent),
      serverCpuMicrosPerFrame: cpu.serverCpuMicrosPerUnit,
      heapAboveIdleBytes: heap === null || idleHeap === null ? null : heap - idleHeap,
    };
  };

  const subscribers = await connectAll(() => s.feedUrl, s.count, true, s.concurrency);
  // as the page does: after each frame, the count of frames taken in (the backlog is the first)
  const ack = (socket) => socket.send(JSON.stringify({ type: 'ack', n: ++socket.takenIn }));
  for (const socket of subscribers) {
    socket.takenIn = 0;
    socket.on('message', () => ack(socket));
    ack(socket); // the backlog, which connecting waited for
  }
  const feedCost = await measure(subscribers, () => null);
  await closeAll(subscribers);

  // the same without acknowledgements: what the acks cost (a frame in for every frame out)
  const silent = await connectAll(() => s.feedUrl, s.count, true, s.concurrency);
  const silentCost = await measure(silent, () => null);
  await closeAll(silent);

  const members = await connectAll((i) => `${s.chatUrl}?name=w${i}`, s.count, true, s.concurrency);
  const sayOnce = () => members[0].send(JSON.stringify({ type: 'say', text: 'tick' }));
  const chatCost = await measure(members, () => setInterval(sayOnce, 1000));
  await closeAll(members);
  return {
    watchers: s.count,
    idleServerCpuPercent: idle.serverCpuPercent,
    idleHeapBytes: idleHeap,
    feed: feedCost,
    feedWithoutAcks: silentCost,
    chat: chatCost,
  };
}

const scenarios = { echo, fanout, connections, mixed, feed };
const scenario = JSON.parse(process.argv[2]);
const result = await scenarios[scenario.kind](scenario);
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
