package dev.parley.security;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Sees every WebSocket handshake before the container does (declared in web.xml so that it runs
 * before the container's own WebSocket filter). It refuses pages the {@link OriginPolicy} does not
 * allow with HTTP 403 (a filter rather than {@code Configurator.checkOrigin}: the same-host rule
 * needs the request's {@code Host}, which {@code checkOrigin} is not given), and passes the peer's
 * address on to the session ({@link PeerAddress}), and has frames over the size limits refused with
 * 1009 before they are buffered ({@link FrameLimitedRequest}).
 *
 * <p>It also refuses, with HTTP 400 and {@code Connection: close}, a handshake that arrives with
 * bytes already behind its headers. A client must wait for the 101 before it sends a frame (RFC
 * 6455 §4.1), and on GlassFish and Payara such early bytes deadlock a container thread for good:
 * Tyrus's upgrade handler registers its read listener inside {@code init}, the container calls
 * {@code onDataAvailable} on the same thread at once, and that waits for a latch which {@code init}
 * releases only after registering. Five such connections stop GlassFish's default pool. The same
 * shape appears when GlassFish takes frames that arrive while an upgraded connection is being
 * closed for a new request with the old headers (docs/reliability.md, "Container threads").
 */
public class HandshakeFilter extends HttpFilter {

  private static final System.Logger LOG = System.getLogger(HandshakeFilter.class.getName());

  /** The system property, environment variable and context parameter naming allowed origins. */
  public static final String SETTING = "allowedOrigins";

  private OriginPolicy policy;
  private long maxTextBytes;
  private long maxBinaryBytes;

  @Override
  public void init() {
    policy = new OriginPolicy(Settings.text(SETTING, getServletContext()::getInitParameter));
    Settings settings = Settings.forContext(getServletContext()::getInitParameter);
    maxTextBytes = settings.get(Setting.MAX_TEXT_MESSAGE_BYTES);
    maxBinaryBytes = settings.get(Setting.MAX_BINARY_MESSAGE_BYTES);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    if (!policy.allows(origin, request.getHeader("Host"))) {
      LOG.log(
          Level.INFO,
          "Refused a handshake from origin {0} to {1} ({2})",
          origin,
          request.getRequestURI(),
          request.getRemoteAddr());
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed: " + origin);
      return;
    }
    if (EarlyData.present(request)) {
      LOG.log(
          Level.INFO,
          "Refused a handshake to {0} that sent data before its response ({1})",
          request.getRequestURI(),
          request.getRemoteAddr());
      EarlyData.refuse(response);
      return;
    }
    chain.doFilter(
        new FrameLimitedRequest(PeerAddress.attach(request), maxTextBytes, maxBinaryBytes),
        response);
  }
}
