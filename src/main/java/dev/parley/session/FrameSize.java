package dev.parley.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * The frame size limits, enforced by Parley itself: not every container honours {@link
 * Session#setMaxTextMessageBufferSize} for whole messages, and the limit must be the same on all.
 */
public final class FrameSize {

  /** Reason sent with 1009. */
  public static final String TOO_BIG = "Frame larger than %d bytes";

  private FrameSize() {}

  /** Whether {@code text} takes more than {@code maxBytes} in UTF-8, as it did on the wire. */
  public static boolean exceeds(String text, long maxBytes) {
    if ((long) text.length() * 3 <= maxBytes) {
      return false; // no UTF-16 unit takes more than 3 bytes: no need to count
    }
    return utf8Length(text) > maxBytes;
  }

  /** Closes with 1009, naming the limit. */
  public static void closeTooBig(Session session, long maxBytes) {
    Sessions.close(session, tooBig(maxBytes));
  }

  /** The 1009 close, naming the limit. */
  public static CloseReason tooBig(long maxBytes) {
    return new CloseReason(CloseReason.CloseCodes.TOO_BIG, String.format(TOO_BIG, maxBytes));
  }

  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
