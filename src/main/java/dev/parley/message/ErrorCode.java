package dev.parley.message;

/** The stable codes of {@code error} frames; the connection stays open after each of them. */
public enum ErrorCode {
  /** The frame is not a JSON object. */
  BAD_JSON("bad-json"),
  /** The {@code type} names no client message. */
  UNKNOWN_TYPE("unknown-type"),
  /** A required field is absent. */
  MISSING_FIELD("missing-field"),
  /** A field has the wrong JSON type or is out of range. */
  INVALID_FIELD("invalid-field"),
  /** The text is longer than the room allows. */
  TOO_LONG("too-long"),
  /** A whisper names nobody in the room. */
  NO_SUCH_MEMBER("no-such-member"),
  /** The connection sends faster than its rate; repeated, it is closed with 1008. */
  RATE_LIMITED("rate-limited"),
  /**
   * The state that several nodes share (Redis) cannot be reached: the frame was not carried out (a
   * {@code say} was not numbered) and may be sent again.
   */
  UNAVAILABLE("unavailable"),
  /** Event streams: a POST names no stream of its room ({@code X-Parley-Token}); HTTP 401. */
  UNKNOWN_TOKEN("unknown-token"),
  /** Event streams: a POST's body is larger than a frame may be; HTTP 413. */
  TOO_LARGE("too-large"),
  /** Authentication: the handshake's token is missing or refused; HTTP 401, no connection. */
  UNAUTHORIZED("unauthorized"),
  /** Authentication: the token does not allow this room; HTTP 403, no connection. */
  FORBIDDEN("forbidden"),
  /**
   * Authentication: the connection's token expires soon ({@code expires} in the message says when);
   * send a {@code refresh} with a new one, or be closed with 1008 when it expires.
   */
  TOKEN_EXPIRING("token-expiring"),
  /** Authentication: a {@code refresh} token was refused; the connection keeps its old one. */
  TOKEN_REFUSED("token-refused");

  private final String code;

  ErrorCode(String code) {
    this.code = code;
  }

  /** The kebab-case code on the wire. */
  public String code() {
    return code;
  }
}
