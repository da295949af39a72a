// A chat connection that survives network drops: it reconnects with capped exponential backoff
// and jitter, resumes with since/epoch/token so that no message is lost or repeated, and queues
// what is said while offline. No DOM here: the page listens to its events. It speaks WebSocket,
// and falls back to an event stream with POSTs when a WebSocket cannot open (a proxy refuses it);
// each later reconnect tries WebSocket first again.

import { Backoff, BACKOFF } from './backoff.js';
import { EventStreamSocket } from './event-stream.js';

/** Close codes after which reconnecting with the same URL cannot help (docs/protocol.md). */
export const FATAL_CLOSE_CODES = new Map([
  [1003, 'The server refused a binary frame.'],
  [1008, 'Disconnected for sending too fast.'],
  [1009, 'A message was too large for the server.'],
  [4001, 'This nick connected again from another tab or device.'],
  [4400, 'That room or nick is not valid.'],
  [4409, 'That nick is already taken in this room.'],
]);

/** HTTP answers to a handshake that say its token will not do (README, "Authentication"). */
const SIGN_IN_REFUSED = new Map([
  [401, 'Sign-in refused: the token is missing, invalid or expired.'],
  [403, 'Your sign-in does not allow this room.'],
]);

export const DEFAULTS = Object.freeze({
  ...BACKOFF, // reconnecting: capped exponential backoff with jitter
  maxQueued: 30, // messages kept while offline (below the server's burst of 40); older are dropped
  webSocketOpenMs: 5000, // a WebSocket not open by then is taken as refused: use an event stream
});

/** The WebSocket URL of a path under the page's own location: ws or wss, same context path. */
export function webSocketUrl(path, base = document.baseURI) {
  const url = new URL(path, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/**
 * Events (CustomEvent, data in `detail`):
 *  state    {state: 'connecting'|'online'|'reconnecting'|'offline', transport, retryAt?, reason?}
 *           (transport: 'WebSocket' or 'event stream')
 *  welcome  the welcome frame, its history cut to what was not shown yet, plus `reconnected`,
 *           `gap` (some messages since the drop cannot be shown) and `epochChanged` (the room's
 *           history began again: ids shown so far belong to the old one)
 *  frame    any other server frame (message, whisper, presence, members, typing, history, error)
 *  dropped  {count} queued messages dropped because the offline queue was full
 */
export class ChatConnection extends EventTarget {
  #room;
  #nick;
  #options;
  #socket = null;
  #state = 'offline';
  #backoff;
  #retryTimer = null;
  #stopped = true;
  #last = null; // newest message id seen
  #epoch = null;
  #token = null;
  #queue = []; // frames waiting for a welcome
  #unconfirmed = new Map(); // cid -> say frame sent but not yet seen back as a message
  #nextCid = 1;
  #transport = 'WebSocket';
  #openTimer = null;
  #accessToken = null; // a JWT, when the server asks for one (README, "Authentication")

  /** @param options DEFAULTS to override, and `accessToken`: a JWT sent with every connect */
  constructor(room, nick, options = {}) {
    super();
    this.#room = room;
    this.#nick = nick;
    this.#accessToken = options.accessToken ?? null;
    this.#options = { ...DEFAULTS, ...options };
    this.#backoff = new Backoff(this.#options);
  }

  get state() {
    return this.#state;
  }

  /** 'WebSocket', or 'event stream' when a WebSocket could not open. */
  get transport() {
    return this.#transport;
  }

  get room() {
    return this.#room;
  }

  /** The nick the server confirmed (trimmed), once welcomed. */
  get nick() {
    return this.#nick;
  }

  start() {
    this.#stopped = false;
    this.#open();
  }

  /** Closes for good; no reconnect. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#openTimer);
    this.#socket?.close(1000, 'bye');
    this.#setState('offline');
  }

  /** Says something in the room; queued while offline. Returns the frame's cid. */
  say(text) {
    const frame = { type: 'say', text, cid: this.#newCid() };
    this.#unconfirmed.set(frame.cid, frame);
    this.#sendOrQueue(frame);
    return frame.cid;
  }

  whisper(to, text) {
    this.#sendOrQueue({ type: 'whisper', to, text, cid: this.#newCid() });
  }

  /** Typing notices are worth nothing later: sent only when online. */
  typing() {
    if (this.#state === 'online') this.#send({ type: 'typing' });
  }

  history(before, limit = 50) {
    if (this.#state === 'online') this.#send({ type: 'history', before, limit });
  }
  /** A newer JWT: extends this connection (a `refresh`), and is the one every reconnect sends. */
  refresh(accessToken) {
    this.#accessToken = accessToken;
    if (this.#state === 'online') this.#send({ type: 'refresh', token: accessToken });
  }

  /** Asks for the room's members after a nick (join order), when the welcome did not name all. */
  members(after, limit = 1000) {
    if (this.#state === 'online') this.#send({ type: 'members', after, limit });
  }

  #newCid() {
    return `${Date.now().toString(36)}-${this.#nextCid++}`;
  }

  #open(transport = 'WebSocket') {
    clearTimeout(this.#retryTimer);
    this.#transport = transport;
    this.#setState(this.#backoff.attempt === 0 ? 'connecting' : 'reconnecting');
    const room = encodeURIComponent(this.#room);
    const url =
      transport === 'WebSocket'
        ? webSocketUrl(`chat/${room}`)
        : new URL(`sse/chat/${room}`, document.baseURI);
    url.searchParams.set('name', this.#nick);
    if (this.#last !== null && this.#epoch !== null) {
      url.searchParams.set('since', String(this.#last));
      url.searchParams.set('epoch', this.#epoch);
    }
    if (this.#token !== null) url.searchParams.set('token', this.#token);
    if (this.#accessToken !== null) url.searchParams.set('access_token', this.#accessToken);
    const socket = transport === 'WebSocket' ? new WebSocket(url) : new EventStreamSocket(url);
    this.#socket = socket;
    socket.opened = false;
    socket.address = url;
    socket.onopen = () => {
      socket.opened = true;
      clearTimeout(this.#openTimer);
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => this.#closed(socket, event);
    if (transport === 'WebSocket') {
      this.#openTimer = setTimeout(() => {
        if (!socket.opened) this.#fallBack(socket);
      }, this.#options.webSocketOpenMs);
    }
  }

  /** The WebSocket could not open: the same attempt goes on as an event stream. */
  #fallBack(socket) {
    if (socket !== this.#socket || this.#stopped) return;
    this.#socket = null;
    socket.onclose = null;
    socket.close();
    this.#open('event stream');
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // the server only sends JSON; anything else is not ours to show
    }
    switch (frame.type) {
      case 'welcome':
        this.#welcomed(frame);
        break;
      case 'message':
        // A say sent again comes back with its first id, to its sender only: confirmed either way.
        if (frame.cid) this.#unconfirmed.delete(frame.cid);
        if (this.#last !== null && frame.id <= this.#last) {
          if (frame.cid) this.#emit('frame', frame); // the view drops the pending line
          return;
        }
        this.#last = frame.id;
        this.#emit('frame', frame);
        break;
      case 'error':
        if (frame.cid) this.#unconfirmed.delete(frame.cid); // refused for good: never resend
        this.#emit('frame', frame);
        break;
      default:
        this.#emit('frame', frame);
    }
  }

  #welcomed(welcome) {
    const reconnected = this.#last !== null;
    const sameEpoch = welcome.epoch === this.#epoch;
    // Within one epoch ids are stable: drop what was shown before the drop.
    const fresh =
      reconnected && sameEpoch ? welcome.history.filter((m) => m.id > this.#last) : welcome.history;
    for (const message of welcome.history) {
      if (message.cid) this.#unconfirmed.delete(message.cid);
    }
    this.#nick = welcome.name;
    this.#token = welcome.token;
    this.#epoch = welcome.epoch;
    this.#last = welcome.last;
    this.#backoff.reset();
    this.#setState('online');
    this.#emit('welcome', {
      ...welcome,
      history: fresh,
      reconnected,
      gap: reconnected && !welcome.complete,
      epochChanged: reconnected && !sameEpoch,
    });
    // Says that never came back may have been lost with the old connection: send them again, then
    // the rest. The server numbers a cid once (for 5 minutes), so one it did take is not repeated.
    const pending = [...this.#unconfirmed.values()].filter((f) => !this.#queue.includes(f));
    for (const frame of [...pending, ...this.#queue.splice(0)]) this.#send(frame);
  }

  #closed(socket, event) {
    if (socket !== this.#socket) return;
    clearTimeout(this.#openTimer);
    if (this.#transport === 'WebSocket' && !socket.opened && !this.#stopped) {
      this.#fallBack(socket); // refused before it opened: a proxy that blocks WebSocket
      return;
    }
    this.#socket = null;
    if (this.#stopped) return;
    const fatal =
      event.code === 1008 && /token/i.test(event.reason ?? '')
        ? `Your sign-in ended (${event.reason}): sign in again.`
        : FATAL_CLOSE_CODES.get(event.code);
    if (fatal) {
      this.#stopped = true;
      this.#setState('offline', { reason: fatal, code: event.code });
      return;
    }
    if (!socket.opened && this.#accessToken !== null) {
      this.#retryUnlessRefused(socket.address);
      return;
    }
    this.#retry(event.code);
  }

  /**
   * Neither transport opened, with a token: a browser is not shown why a handshake failed, so ask
   * with a HEAD (which joins nobody) whether the token is refused (401) or the room not allowed
   * (403): reconnecting cannot help then.
   */
  async #retryUnlessRefused(address) {
    let status = 0;
    try {
      status = (await fetch(address, { method: 'HEAD', cache: 'no-store' })).status;
    } catch {
      // the network is down: retry as for any drop
    }
    if (this.#stopped) return;
    const refused = SIGN_IN_REFUSED.get(status);
    if (refused) {
      this.#stopped = true;
      this.#setState('offline', { reason: refused, code: status });
    } else {
      this.#retry(0);
    }
  }

  #retry(code) {
    const delay = this.#backoff.nextDelay();
    this.#setState('reconnecting', { retryAt: Date.now() + delay, code });
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #sendOrQueue(frame) {
    if (this.#state === 'online') {
      this.#send(frame);
      return;
    }
    this.#queue.push(frame);
    const excess = this.#queue.length - this.#options.maxQueued;
    if (excess > 0) {
      for (const dropped of this.#queue.splice(0, excess)) this.#unconfirmed.delete(dropped.cid);
      this.#emit('dropped', { count: excess });
    }
  }

  #send(frame) {
    this.#socket.send(JSON.stringify(frame));
  }

  #setState(state, extra = {}) {
    this.#state = state;
    this.#emit('state', { state, transport: this.#transport, ...extra });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
