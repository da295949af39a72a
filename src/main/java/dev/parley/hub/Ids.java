package dev.parley.hub;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, URL-safe identifiers: tokens, epochs, node ids. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** {@code bytes} random bytes, base64url without padding (4 characters per 3 bytes). */
  public static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /** A candidate for a room history's epoch; a broker keeps the first one it set. */
  public static String epoch() {
    return random(9);
  }
}
