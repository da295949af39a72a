package dev.parley.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Facts that the server established about a handshake (the peer's address, a verified identity),
 * carried into the WebSocket session as request parameters: the WebSocket API exposes nothing else
 * of the HTTP request, and every container builds the session's parameters from the servlet
 * request. Parameters of the same names that the client sent are replaced, so it cannot forge them.
 */
public final class TrustedParameters {

  private TrustedParameters() {}

  /**
   * The request with these parameters set; a null value removes the parameter (a credential that
   * the session need not see).
   */
  public static HttpServletRequest attach(HttpServletRequest request, Map<String, String> trusted) {
    return new Attached(request, trusted);
  }

  private static final class Attached extends HttpServletRequestWrapper {
    private final String query;
    private final Map<String, String[]> parameters;

    Attached(HttpServletRequest request, Map<String, String> trusted) {
      super(request);
      String original = request.getQueryString();
      String kept =
          original == null
              ? ""
              : Arrays.stream(original.split("&"))
                  .filter(pair -> !pair.isEmpty() && !trusted.containsKey(nameOf(pair)))
                  .collect(Collectors.joining("&"));
      String own =
          trusted.entrySet().stream()
              .filter(entry -> entry.getValue() != null)
              .map(
                  entry ->
                      entry.getKey()
                          + "="
                          + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      this.query = kept.isEmpty() ? own : own.isEmpty() ? kept : kept + "&" + own;
      Map<String, String[]> copy = new LinkedHashMap<>(request.getParameterMap());
      trusted.forEach(
          (name, value) -> {
            if (value == null) {
              copy.remove(name);
            } else {
              copy.put(name, new String[] {value});
            }
          });
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
      return query.isEmpty() ? null : query;
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
