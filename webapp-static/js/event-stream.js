// The chat over Server-Sent Events and POSTs, for networks whose proxy refuses WebSocket. It looks
// like a WebSocket to ChatConnection: send(text), close(), onopen, onmessage({data}) and
// onclose({code, reason}). Reconnecting is ChatConnection's (with its token and since/epoch), so
// the browser's own reconnect is turned off by closing the EventSource on its first error.

/** Every event type the server sends on a stream (docs/protocol.md, "Event streams"). */
const FRAME_TYPES = [
  'welcome', 'message', 'whisper', 'presence', 'members', 'typing', 'history', 'error',
];

export class EventStreamSocket {
  #source;
  #postUrl;
  #token = null;
  #closed = false;
  onopen = () => {};
  onmessage = () => {};
  onclose = () => {};

  /** @param url the stream's URL: /sse/chat/ROOM with the same query as the WebSocket's */
  constructor(url) {
    this.#postUrl = new URL(url);
    this.#postUrl.search = '';
    this.#source = new EventSource(url);
    this.#source.onopen = () => this.onopen();
    for (const type of FRAME_TYPES) {
      this.#source.addEventListener(type, (event) => this.#frame(type, event.data));
    }
    this.#source.addEventListener('close', (event) => {
      const { code, reason } = JSON.parse(event.data);
      this.#end(code, reason);
    });
    this.#source.onerror = () => this.#end(1006, 'The event stream broke');
  }

  send(text) {
    if (this.#closed || this.#token === null) return;
    fetch(this.#postUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Parley-Token': this.#token },
      body: text,
    }).then(
      async (response) => {
        if (response.status === 401) this.#end(1006, 'The server no longer knows this stream');
        // 400 and 413 are told only here; a 429's error frame also comes on the stream
        else if (response.status === 400 || response.status === 413) {
          this.onmessage({ data: await response.text() });
        }
      },
      () => this.#end(1006, 'A message could not be posted'),
    );
  }

  close() {
    this.#end(1000, 'bye');
  }

  #frame(type, data) {
    if (type === 'welcome') this.#token = JSON.parse(data).token;
    this.onmessage({ data });
  }

  #end(code, reason) {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.close();
    this.onclose({ code, reason });
  }
}
