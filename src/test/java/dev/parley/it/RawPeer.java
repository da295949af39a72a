package dev.parley.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket peer on a bare socket, for what a polite client library will not do: send frames
 * before the handshake's answer, never read, go on sending after the server closed it, shrink its
 * receive window to a few kilobytes.
 */
final class RawPeer implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TEXT = 0x1;

  private final Socket socket;
  private final OutputStream out;
  private final String host;

  private RawPeer(Socket socket, String host) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.host = host;
  }

  /**
   * Opens a TCP connection to the deployment with the given receive buffer (bytes; 0 for the
   * system's default), sending nothing yet.
   */
  static RawPeer connect(URL base, int receiveBuffer) {
    URL url = Deployments.onLoopback(base);
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer); // before connecting: it sets the TCP window
      }
      socket.connect(
          new InetSocketAddress(url.getHost(), url.getPort()), (int) TestClient.TIMEOUT.toMillis());
      socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
      return new RawPeer(socket, url.getHost() + ":" + url.getPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends the handshake for {@code path} (under the deployment, no leading slash) followed at once
   * by {@code earlyFrames}, without waiting for the answer, then reads the answer's status code.
   */
  int handshake(URL base, String path, byte[] earlyFrames) throws IOException {
    String key = Base64.getEncoder().encodeToString(RANDOM.generateSeed(16));
    String request =
        "GET "
            + base.getPath()
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(request.getBytes(StandardCharsets.US_ASCII));
    bytes.write(earlyFrames);
    out.write(bytes.toByteArray());
    out.flush();
    return statusCode(readHead(socket.getInputStream()));
  }

  /** A handshake that waits for its answer, as clients must; returns the status code. */
  int handshake(URL base, String path) throws IOException {
    return handshake(base, path, new byte[0]);
  }

  /** Sends a text frame; blocks while the server does not read. */
  void sendText(String text) throws IOException {
    out.write(frame(TEXT, text.getBytes(StandardCharsets.UTF_8)));
    out.flush();
  }

  /**
   * Sends the header of a frame that declares {@code declaredLength} payload bytes, and the first
   * {@code sentBytes} of them: the server must judge the frame by its header.
   */
  void startFrame(int opcode, boolean fin, long declaredLength, int sentBytes) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    frame.write(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.write((int) (declaredLength >>> shift));
    }
    frame.writeBytes(new byte[4]); // a zero mask key: the payload goes as it is
    frame.writeBytes("x".repeat(sentBytes).getBytes(StandardCharsets.US_ASCII));
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads the server's frames, skipping data frames, until its close frame; returns its code. */
  int awaitCloseCode() throws IOException {
    java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
    while (true) {
      int first = in.readUnsignedByte();
      int lengthCode = in.readUnsignedByte() & 0x7f;
      long length =
          lengthCode == 126
              ? in.readUnsignedShort()
              : lengthCode == 127 ? in.readLong() : lengthCode;
      byte[] payload = in.readNBytes((int) length);
      if ((first & 0x0f) == 0x8) {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
      }
    }
  }

  /**
   * Reads the server's frames, skipping data frames, until its close frame or the connection's end:
   * returns the close code, or {@link TestClient#ABNORMAL_CLOSURE} for an end without one. Fails if
   * the server keeps the connection open and silent for longer than the usual wait.
   */
  int awaitCloseCodeOrEnd() throws IOException {
    try {
      return awaitCloseCode();
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open", e);
    } catch (java.io.EOFException | java.net.SocketException ended) {
      return TestClient.ABNORMAL_CLOSURE; // ended, or reset with our bytes unread, without a close
    }
  }

  /** A masked text frame, as a client sends it. */
  static byte[] textFrame(String text) {
    return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /**
   * Reads, and discards, whatever the server sent until it ends the connection; fails if it keeps
   * the connection open and silent for longer than the usual wait.
   */
  void awaitEnd() throws IOException {
    byte[] sink = new byte[65536];
    try {
      while (socket.getInputStream().read(sink) >= 0) {
        // what was queued for this peer before its close
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open", e);
    } catch (java.net.SocketException reset) {
      // ended by a reset: the server closed with our bytes still unread
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.append((char) next);
    }
    return head.toString();
  }

  private static int statusCode(String head) {
    String[] statusLine = head.split(" ", 3);
    if (statusLine.length < 2) {
      throw new AssertionError("no HTTP answer to the handshake: '" + head + "'");
    }
    return Integer.parseInt(statusLine[1]);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
