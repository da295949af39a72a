package dev.parley.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;

/**
 * The peer's address, carried from the HTTP handshake into the WebSocket session. The WebSocket API
 * does not expose it, but every container builds the session's request parameters from the servlet
 * request: the handshake filter adds the address as a parameter, replacing any that the client sent
 * itself.
 */
public final class PeerAddress {

  /** The request parameter holding the peer's address; a client cannot set it. */
  public static final String PARAMETER = "parley.peer";

  /** What {@link #of} answers when the container passed no address. */
  public static final String UNKNOWN = "unknown";

  private PeerAddress() {}

  /** The address of the peer of a session opened through the handshake filter. */
  public static String of(Session session) {
    List<String> values = session.getRequestParameterMap().get(PARAMETER);
    return values == null || values.isEmpty() ? UNKNOWN : values.get(values.size() - 1);
  }

  /** The request as the container should see it: with the true address as a parameter. */
  static HttpServletRequest attach(HttpServletRequest request) {
    return TrustedParameters.attach(request, Map.of(PARAMETER, request.getRemoteAddr()));
  }
}
