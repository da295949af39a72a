package dev.parley.auth;

import dev.parley.message.ErrorCode;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.ops.Metrics;
import dev.parley.security.TrustedParameters;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * When authentication is configured, a chat handshake (WebSocket or event stream) needs a valid
 * token: refused with HTTP 401 before any connection exists, or 403 for a room its {@code rooms}
 * claim leaves out; the operations feed needs one whose {@code roles} include {@code ops}. An
 * admitted request carries the verified identity into the session as trusted parameters ({@link
 * Authentication#SUBJECT} and the others), which a client cannot forge; the token itself goes no
 * further, and is never logged.
 */
public class AuthFilter extends HttpFilter {

  private static final System.Logger LOG = System.getLogger(AuthFilter.class.getName());

  @Inject Authentication authentication;
  @Inject Metrics metrics;

  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  @Override
  public void init() {
    authentication.verifier(); // a key that cannot be used stops the deployment here, not later
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!isHandshake(request)) {
      chain.doFilter(request, response); // a POST names its stream by the stream's own token
      return;
    }
    Map<String, String> trusted = new HashMap<>();
    // whatever a client sent under these names is dropped, with authentication on or off
    trusted.put(Authentication.SUBJECT, null);
    trusted.put(Authentication.NAME, null);
    trusted.put(Authentication.EXPIRES, null);
    // the path as the container mapped it (decoded, without ;parameters), as the endpoints see it
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    if (guarded(path)) {
      Identity identity;
      try {
        identity = authentication.verifier().verify(tokenOf(request));
      } catch (TokenRefused refused) {
        refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, refused.getMessage());
        return;
      }
      String room = roomOf(path);
      if (isFeed(path) && !identity.hasRole(Identity.OPS)) {
        refuse(
            request,
            response,
            HttpServletResponse.SC_FORBIDDEN,
            "The token's roles do not include " + Identity.OPS);
        return;
      }
      if (room != null && !identity.mayEnter(room)) {
        refuse(
            request,
            response,
            HttpServletResponse.SC_FORBIDDEN,
            "The token does not allow room " + room);
        return;
      }
      trusted.put(Authentication.SUBJECT, identity.subject());
      trusted.put(Authentication.NAME, identity.name());
      trusted.put(Authentication.EXPIRES, String.valueOf(identity.expires().getEpochSecond()));
      trusted.put(Authentication.TOKEN_PARAMETER, null);
    }
    chain.doFilter(TrustedParameters.attach(request, trusted), response);
  }

  /**
   * Chat handshakes, the operations feed's, and echo's when asked; an event stream's POSTs name it
   * by its own token. A HEAD is checked like its GET, so that a page can learn why its handshake
   * failed (a browser does not show it the 401).
   */
  private boolean guarded(String path) {
    if (!authentication.enabled()) {
      return false;
    }
    return roomOf(path) != null
        || isFeed(path)
        || (path.equals("/echo") && authentication.guardsEcho());
  }

  /** A server-push feed, {@code /feed/...}: for holders of the ops role. */
  private static boolean isFeed(String path) {
    return path.startsWith("/feed/");
  }

  /** A GET (a WebSocket handshake, or an event stream) or its HEAD: what opens a connection. */
  private static boolean isHandshake(HttpServletRequest request) {
    return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
  }

  /** The room of a chat URL, {@code /chat/ROOM} or {@code /sse/chat/ROOM}; null for others. */
  private static String roomOf(String path) {
    for (String prefix : new String[] {"/chat/", "/sse/chat/"}) {
      if (path.startsWith(prefix)) {
        return path.substring(prefix.length());
      }
    }
    return null;
  }

  private static String tokenOf(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return request.getParameter(Authentication.TOKEN_PARAMETER);
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, int status, String why)
      throws IOException {
    LOG.log(
        Level.INFO,
        "Refused a handshake to {0} from {1} with {2}: {3}",
        request.getRequestURI(),
        request.getRemoteAddr(),
        status,
        why);
    metrics.authRefused(status);
    ErrorCode code =
        status == HttpServletResponse.SC_UNAUTHORIZED
            ? ErrorCode.UNAUTHORIZED
            : ErrorCode.FORBIDDEN;
    if (status == HttpServletResponse.SC_UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(encoder.encode(new ErrorFrame(code, why, null)));
  }
}
