package dev.parley.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a verified token says its holder is: {@code subject} ({@code sub}), the nick ({@code name},
 * else the subject), the rooms it may enter ({@code rooms}; null: every room) and when it expires.
 */
public record Identity(String subject, String name, Set<String> rooms, Instant expires) {

  /** Whether the holder may enter {@code room}. */
  public boolean mayEnter(String room) {
    return rooms == null || rooms.contains(room);
  }
}
