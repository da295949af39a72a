// The echo console: sends text or a file's bytes to /echo and shows what came back and how fast.

import { webSocketUrl } from './chat-connection.js';

export class EchoConsole {
  #log;
  #socket = null;
  #inFlight = []; // what was sent, oldest first: /echo answers in order

  constructor(log) {
    this.#log = log;
  }

  sendText(text) {
    this.#send(text, `→ ${text}`);
  }

  async sendFile(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    this.#send(bytes, `→ ${file.name}: ${bytes.length} bytes`);
  }

  #send(payload, description) {
    const socket = this.#connected();
    const go = () => {
      this.#inFlight.push({ payload, sentAt: performance.now() });
      socket.send(payload);
      this.#line(description, 'sent');
    };
    if (socket.readyState === WebSocket.OPEN) go();
    else socket.addEventListener('open', go, { once: true });
  }

  #connected() {
    if (this.#socket && this.#socket.readyState <= WebSocket.OPEN) return this.#socket;
    const socket = new WebSocket(webSocketUrl('echo'));
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => this.#received(event.data);
    socket.onclose = (event) => {
      if (this.#inFlight.length > 0 || event.code !== 1000) {
        this.#line(`connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`, 'failed');
      }
      this.#inFlight = [];
      this.#socket = null;
    };
    this.#socket = socket;
    return socket;
  }

  #received(data) {
    const sent = this.#inFlight.shift();
    const ms = sent ? (performance.now() - sent.sentAt).toFixed(1) : '?';
    if (typeof data === 'string') {
      this.#line(`← ${data} (${ms} ms)`, 'received');
      return;
    }
    const bytes = new Uint8Array(data);
    const same = sent && sent.payload instanceof Uint8Array && equalBytes(sent.payload, bytes);
    this.#line(`← ${bytes.length} bytes, ${same ? 'identical' : 'DIFFERENT'} (${ms} ms)`, 'received');
  }

  #line(text, kind) {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = text;
    this.#log.append(item);
    item.scrollIntoView({ block: "nearest" });
  }
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
