package dev.parley.security;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which pages may open WebSocket connections: by default only pages served by this same host, so
 * that a page elsewhere cannot use a visitor's browser to talk to Parley (cross-site WebSocket
 * hijacking). Clients that send no {@code Origin} (not browsers) are not concerned.
 */
public final class OriginPolicy {

  /** Every origin is allowed. */
  public static final String ANY = "*";

  private final List<String> allowed;

  /**
   * @param allowedOrigins comma-separated origins such as {@code https://chat.example.com}, or
   *     {@code *}; empty or null for "the same host as the request"
   */
  public OriginPolicy(String allowedOrigins) {
    this.allowed =
        allowedOrigins == null
            ? List.of()
            : Arrays.stream(allowedOrigins.split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .map(OriginPolicy::normalise)
                .toList();
  }

  /** Whether a handshake with this {@code Origin} to this {@code Host} may proceed. */
  public boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    if (allowed.contains(ANY)) {
      return true;
    }
    if (!allowed.isEmpty()) {
      return allowed.contains(normalise(origin));
    }
    return host != null && host.equalsIgnoreCase(hostOf(origin));
  }

  /** The {@code host[:port]} of an origin, as a {@code Host} header would carry it. */
  private static String hostOf(String origin) {
    try {
      URI uri = URI.create(origin.strip());
      if (uri.getHost() == null) {
        return null;
      }
      return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    } catch (IllegalArgumentException notAnOrigin) {
      return null; // "null" (sandboxed pages) and garbage match nothing
    }
  }

  private static String normalise(String origin) {
    String trimmed = origin.strip().toLowerCase(Locale.ROOT);
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
