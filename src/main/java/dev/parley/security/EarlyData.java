package dev.parley.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Bytes that a WebSocket handshake request carries past its headers, which no conforming client
 * sends: it must wait for the server's 101 before its first frame (RFC 6455 §4.1).
 */
final class EarlyData {

  private EarlyData() {}

  /**
   * Whether the container already holds bytes of this request beyond its headers. {@code
   * available()} only reports what is buffered, so this never waits on the network; a handshake has
   * no body, so anything there was sent too early.
   */
  static boolean present(HttpServletRequest request) throws IOException {
    return request.getHeader("Upgrade") != null && request.getInputStream().available() > 0;
  }

  /**
   * Answers 400 and asks the container to drop the connection: the bytes already sent cannot be
   * taken as frames of a connection that was never opened.
   */
  static void refuse(HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    response.setHeader("Connection", "close");
    response.setContentLength(0);
  }
}
