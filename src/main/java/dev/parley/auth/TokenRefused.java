package dev.parley.auth;

/**
 * A token that does not admit its holder. The message says why, for logs and for the client; it
 * never holds the token.
 */
public final class TokenRefused extends Exception {

  public TokenRefused(String why) {
    super(why, null, false, false);
  }
}
