"""Peer for the benchmark: the echo server of the document Parley grew from, as written there
(Debian's python3-websockets), with the address and port taken from the command line."""
import asyncio
import sys

import websockets


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(message)


port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
start_server = websockets.serve(echo, "127.0.0.1", port)
asyncio.get_event_loop().run_until_complete(start_server)
print(f"python websockets peer listening on 127.0.0.1:{port}", flush=True)
asyncio.get_event_loop().run_forever()
