// The operations feed (/feed/metrics, docs/protocol.md "Operations feed"): a WebSocket that brings
// the last five minutes, then a snapshot a second. Each frame is acknowledged once it has been
// handed to the charts (with the count of frames so far), so a tab that falls behind (asleep, on a
// slow network) is sent the newest snapshot when it catches up, never a queue of old ones. It
// reconnects as the chat does: backoff with jitter.

import { Backoff } from './backoff.js';
import { webSocketUrl } from './chat-connection.js';
import { fetchToken } from './sign-in.js';

/** HTTP answers to the feed's handshake that say reconnecting as before cannot help. */
const REFUSED = new Map([
  [401, 'Sign-in refused: the feed needs a valid token with the role "ops".'],
  [403, 'Sign-in refused: the token lacks the role "ops".'],
]);

/** A connection that lasted less than this before its token expired renews with backoff. */
const SHORT_LIVED_MS = 5000;

/**
 * Events (CustomEvent, data in `detail`):
 *  state     {state: 'connecting'|'online'|'reconnecting'|'offline', retryAt?, reason?}
 *  backlog   {points}: the snapshots of the last five minutes, oldest first (after each connect)
 *  snapshot  one snapshot frame
 */
export class FeedConnection extends EventTarget {
  #accessToken;
  #tokenUrl;
  #backoff = new Backoff();
  #socket = null;
  #retryTimer = null;
  #stopped = true;

  /** @param signIn {accessToken, tokenUrl}, each null without authentication */
  constructor({ accessToken = null, tokenUrl = null } = {}) {
    super();
    this.#accessToken = accessToken;
    this.#tokenUrl = tokenUrl;
  }

  start() {
    this.#stopped = false;
    this.#open();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, 'bye');
    this.#setState('offline');
  }

  #url() {
    const url = webSocketUrl('feed/metrics');
    if (this.#accessToken) url.searchParams.set('access_token', this.#accessToken);
    return url;
  }

  #open() {
    this.#setState(this.#backoff.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(this.#url());
    this.#socket = socket;
    socket.received = 0; // frames of this connection, acknowledged by count
    socket.onopen = () => {
      socket.opened = Date.now();
    };
    socket.onmessage = (event) => this.#receive(socket, event.data);
    socket.onclose = (event) => this.#closed(socket, event);
  }

  #receive(socket, data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      socket.close(4000, 'unreadable frame'); // the server only sends JSON: start afresh
      return;
    }
    socket.received++;
    if (frame.type === 'backlog') {
      this.#backoff.reset();
      this.#setState('online');
      this.#emit('backlog', { points: frame.points });
    } else if (frame.type === 'snapshot') {
      this.#emit('snapshot', frame);
    }
    // handed to the charts: the next one may come
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: 'ack', n: socket.received }));
    }
  }

  async #closed(socket, event) {
    if (socket !== this.#socket || this.#stopped) return;
    this.#socket = null;
    if (event.code === 1008 && this.#tokenUrl) {
      // the token expired: a fresh one from the sign-in, and back (at once after a long session)
      if ((await this.#renewToken()) && !this.#stopped) {
        const lasted = socket.opened ? Date.now() - socket.opened : 0;
        this.#retryTimer = setTimeout(
          () => this.#open(),
          lasted > SHORT_LIVED_MS ? 0 : this.#backoff.nextDelay(),
        );
        return;
      }
    }
    if (this.#stopped) return;
    if (event.code === 1008 || event.code === 1003) {
      this.#giveUp(
        event.code === 1008
          ? `Your sign-in ended (${event.reason}): sign in again.`
          : `The server refused what this page sent (${event.reason}).`,
      );
      return;
    }
    if (!socket.opened && ((await this.#refusal()) || this.#stopped)) return;
    const delay = this.#backoff.nextDelay();
    this.#setState('reconnecting', { retryAt: Date.now() + delay, code: event.code });
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  /**
   * A browser is not told why a handshake failed: a HEAD to the same URL (which opens nothing) says
   * whether the token is refused. True if it was, and the feed stopped. (A page from a refused
   * origin cannot learn it this way: it retries with backoff.)
   */
  async #refusal() {
    let status = 0;
    try {
      const url = this.#url();
      url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
      status = (await fetch(url, { method: 'HEAD', cache: 'no-store' })).status;
    } catch {
      return false; // the network or the server is down: retry as for any drop
    }
    if (status === 401 && this.#tokenUrl && (await this.#renewToken())) return false;
    const refused = REFUSED.get(status);
    if (refused) this.#giveUp(refused);
    return refused !== undefined;
  }

  async #renewToken() {
    try {
      this.#accessToken = await fetchToken(this.#tokenUrl);
      return true;
    } catch {
      return false;
    }
  }

  #giveUp(reason) {
    this.#stopped = true;
    this.#setState('offline', { reason });
  }

  #setState(state, extra = {}) {
    this.#emit('state', { state, ...extra });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
