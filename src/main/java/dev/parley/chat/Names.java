package dev.parley.chat;

import java.util.Optional;
import java.util.regex.Pattern;

/** The rules for room names and nicks; a connection that breaks them is closed with 4400. */
public final class Names {

  /** Longest room name. */
  public static final int MAX_ROOM_LENGTH = 64;

  /** Longest nick, after trimming. */
  public static final int MAX_NICK_LENGTH = 32;

  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ROOM_LENGTH + "}");

  private Names() {}

  public static boolean isValidRoom(String room) {
    return room != null && ROOM.matcher(room).matches();
  }

  /** The nick as it will be used (trimmed), or empty when it breaks the rules. */
  public static Optional<String> nick(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String nick = raw.strip();
    if (nick.isEmpty() || nick.length() > MAX_NICK_LENGTH) {
      return Optional.empty();
    }
    return nick.codePoints().anyMatch(Names::isForbidden) ? Optional.empty() : Optional.of(nick);
  }

  /** Control characters, and the bidirectional overrides that let a nick pose as another. */
  private static boolean isForbidden(int c) {
    return Character.isISOControl(c)
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E
        || c == 0x200F;
  }
}
