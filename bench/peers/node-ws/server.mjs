// Peer for the benchmark: the same two services as Parley, written the way a Node.js user would
// with npm `ws` and nothing else. /echo sends every frame back; /chat/{room}?name=N numbers each
// `say` per room, encodes it once and sends it to every member, as Parley does. No history, no
// limits, no presence: it is the floor that Parley's extra work is measured against.
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 8090);
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
const rooms = new Map(); // room name -> { seq, members: Set<WebSocket> }

server.on('connection', (socket, request) => {
  const url = new URL(request.url, 'http://localhost');
  if (url.pathname === '/echo') {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    return;
  }
  const match = /^\/chat\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
  if (!match) {
    socket.close(4400, 'Unknown path');
    return;
  }
  const name = url.searchParams.get('name') ?? 'anonymous';
  const room = rooms.get(match[1]) ?? { name: match[1], seq: 0, members: new Set() };
  rooms.set(room.name, room);
  room.members.add(socket);
  socket.send(JSON.stringify({ type: 'welcome', room: room.name, you: name, last: room.seq }));
  socket.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      socket.send(JSON.stringify({ type: 'error', code: 'bad-json' }));
      return;
    }
    if (message.type !== 'say' || typeof message.text !== 'string') {
      return;
    }
    const frame = JSON.stringify({
      type: 'message',
      id: ++room.seq,
      room: room.name,
      from: name,
      text: message.text,
      ts: new Date().toISOString(),
    });
    for (const member of room.members) {
      member.send(frame);
    }
  });
  socket.on('close', () => {
    room.members.delete(socket);
    if (room.members.size === 0) {
      rooms.delete(room.name);
    }
  });
});

server.on('listening', () => console.log(`node ws peer listening on 127.0.0.1:${port}`));
