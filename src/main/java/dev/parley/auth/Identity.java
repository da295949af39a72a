package dev.parley.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a verified token says its holder is: {@code subject} ({@code sub}), the nick ({@code name},
 * else the subject), the rooms it may enter ({@code rooms}; null: every room), what else it may do
 * ({@code roles}, such as {@link #OPS}) and when it expires.
 */
public record Identity(
    String subject, String name, Set<String> rooms, Set<String> roles, Instant expires) {

  /** The role that opens the operations feed, {@code /feed/metrics}. */
  public static final String OPS = "ops";

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** Whether the holder may enter {@code room}. */
  public boolean mayEnter(String room) {
    return rooms == null || rooms.contains(room);
  }
}
