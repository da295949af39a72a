package dev.parley.it;

import java.util.UUID;

/** Room names for tests: each test chats in rooms of its own, so no test sees another's traffic. */
final class Rooms {

  private Rooms() {}

  /** A room name no other test uses: {@code prefix}, a dash and eight random hex digits. */
  static String fresh(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
