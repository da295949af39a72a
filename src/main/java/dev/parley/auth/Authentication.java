package dev.parley.auth;

import dev.parley.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether chat needs a token, and how tokens are verified: off unless {@code parley.authHmacSecret}
 * or {@code parley.authPublicKey} (a PEM file) is set. {@code parley.authEcho=true} puts the echo
 * endpoint behind the same check.
 */
@ApplicationScoped
public class Authentication {

  private static final System.Logger LOG = System.getLogger(Authentication.class.getName());

  public static final String HMAC_SECRET = "authHmacSecret";
  public static final String PUBLIC_KEY = "authPublicKey";
  public static final String ECHO = "authEcho";

  /** Trusted request parameters that carry a verified identity into the session. */
  public static final String SUBJECT = "parley.sub";

  public static final String NAME = "parley.name";
  public static final String EXPIRES = "parley.exp";

  /** Where a browser puts its token: neither a WebSocket nor an EventSource can set a header. */
  public static final String TOKEN_PARAMETER = "access_token";

  /** Reason sent with 1008 when a connection's token expires. */
  public static final String TOKEN_EXPIRED = "token expired";

  /** When the token that admitted {@code session} expires; empty if none did. */
  public static Optional<Instant> expiry(Session session) {
    List<String> expires = session.getRequestParameterMap().get(EXPIRES);
    return expires == null || expires.isEmpty()
        ? Optional.empty()
        : Optional.of(Instant.ofEpochSecond(Long.parseLong(expires.get(0))));
  }

  /** The close for a connection whose token expired. */
  public static CloseReason tokenExpired() {
    return new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, TOKEN_EXPIRED);
  }

  private final Settings settings;
  private volatile TokenVerifier verifier;
  private volatile boolean read;

  @Inject
  public Authentication(Settings settings) {
    this.settings = settings;
  }

  /** For CDI's client proxy only. */
  protected Authentication() {
    this(null);
  }

  /**
   * The verifier, or null when authentication is off.
   *
   * @throws IllegalArgumentException when the settings ask for a key that cannot be used
   */
  public TokenVerifier verifier() {
    if (!read) {
      synchronized (this) {
        if (!read) {
          verifier = TokenVerifier.of(settings.text(HMAC_SECRET), publicKey());
          read = true;
          if (verifier != null) {
            // GlassFish and Payara bundle their own copy, which they may load before the WAR's
            LOG.log(
                Level.INFO,
                "Chat needs a token signed with {0}; JWTs read by {1}",
                verifier.algorithms(),
                TokenVerifier.library());
          }
        }
      }
    }
    return verifier;
  }

  public boolean enabled() {
    return verifier() != null;
  }

  /** Whether echo needs a token too. */
  public boolean guardsEcho() {
    return enabled() && "true".equalsIgnoreCase(settings.text(ECHO));
  }

  private String publicKey() {
    String file = settings.text(PUBLIC_KEY);
    if (file == null || file.isBlank()) {
      return null;
    }
    try {
      return Files.readString(Path.of(file.trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("parley.authPublicKey: cannot read " + file, e);
    }
  }
}
