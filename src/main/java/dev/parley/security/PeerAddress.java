package dev.parley.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.websocket.Session;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
    return new Attached(request);
  }

  private static final class Attached extends HttpServletRequestWrapper {
    private final String query;
    private final Map<String, String[]> parameters;

    Attached(HttpServletRequest request) {
      super(request);
      String address = request.getRemoteAddr();
      String own = PARAMETER + "=" + URLEncoder.encode(address, StandardCharsets.UTF_8);
      String original = request.getQueryString();
      String kept =
          original == null
              ? ""
              : Arrays.stream(original.split("&"))
                  .filter(pair -> !PARAMETER.equals(nameOf(pair)))
                  .collect(Collectors.joining("&"));
      this.query = kept.isEmpty() ? own : kept + "&" + own;
      Map<String, String[]> copy = new LinkedHashMap<>(request.getParameterMap());
      copy.put(PARAMETER, new String[] {address});
      this.parameters = Collections.unmodifiableMap(copy);
    }

    private static String nameOf(String pair) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      try {
        return URLDecoder.decode(name, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        return name;
      }
    }

    @Override
    public String getQueryString() {
      return query;
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      return parameters;
    }

    @Override
    public String getParameter(String name) {
      String[] values = parameters.get(name);
      return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
      String[] values = parameters.get(name);
      return values == null ? null : values.clone();
    }

    @Override
    public Enumeration<String> getParameterNames() {
      return Collections.enumeration(parameters.keySet());
    }
  }
}
