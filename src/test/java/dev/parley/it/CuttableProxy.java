package dev.parley.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of the server, whose connections a test can cut as a network
 * would: abruptly, with no WebSocket close frame. While refusing, it drops new connections at once.
 */
final class CuttableProxy implements AutoCloseable {

  private static final String FORBIDDEN =
      "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean refusing;
  private volatile boolean frozen;
  private volatile boolean refusingWebSocket;

  CuttableProxy(URL target) throws IOException {
    this(target.getPort());
  }

  /** A proxy to any TCP server on loopback, e.g. a Redis server between it and a node. */
  CuttableProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the proxy listens on, on loopback. */
  int port() {
    return listener.getLocalPort();
  }

  /** {@code base} with its host and port replaced by the proxy's. */
  URL front(URL base) throws IOException {
    return new URL("http", "127.0.0.1", listener.getLocalPort(), base.getFile());
  }

  /** Cuts every open connection; with {@code refuseNew}, new ones are dropped until allowed. */
  void cut(boolean refuseNew) {
    refusing = refuseNew;
    for (Socket socket : sockets) {
      sockets.remove(socket);
      closeQuietly(socket);
    }
  }

  void allow() {
    refusing = false;
  }

  /**
   * Answers every WebSocket handshake with 403 and forwards everything else, as some corporate
   * proxies and firewalls do.
   */
  void refuseWebSocket() {
    refusingWebSocket = true;
  }

  /**
   * Stops forwarding in both directions but keeps every socket open: a half-open connection, as
   * when a phone leaves coverage. Neither end learns anything from TCP.
   */
  void freeze() {
    frozen = true;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (refusing) {
          client.setSoLinger(true, 0); // reset, like a network that is down
          client.close();
          continue;
        }
        Socket server;
        try {
          server = new Socket(target.getAddress(), target.getPort());
        } catch (IOException targetDown) {
          closeQuietly(client); // as the target would: nobody there
          continue;
        }
        sockets.add(client);
        sockets.add(server);
        if (refusing) {
          // cut while this connection was being made: it must not outlive the cut
          sockets.remove(client);
          sockets.remove(server);
          closeQuietly(client);
          closeQuietly(server);
          continue;
        }
        pump(client, server, true);
        pump(server, client, false);
      } catch (IOException e) {
        if (!listener.isClosed()) {
          continue; // one failed connection does not stop the proxy
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  if (fromClient && refusingWebSocket && isUpgrade(buffer, read)) {
                    from.getOutputStream().write(FORBIDDEN.getBytes(StandardCharsets.US_ASCII));
                    break;
                  }
                  if (!frozen) {
                    out.write(buffer, 0, read);
                    out.flush();
                  }
                }
              } catch (IOException cut) {
                // the other side or the test closed the connection: end both directions
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether these bytes hold a WebSocket handshake's header (the proxy reads whole requests). */
  private static boolean isUpgrade(byte[] buffer, int length) {
    return new String(buffer, 0, length, StandardCharsets.ISO_8859_1)
        .toLowerCase(Locale.ROOT)
        .contains("upgrade: websocket");
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException alreadyClosed) {
      // closing is all that was wanted
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cut(false);
  }
}
