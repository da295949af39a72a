package dev.parley.hub;

import dev.parley.session.Outbox;

/**
 * One nick in one room, bound to the connection that currently holds it.
 *
 * @param name the nick as the member typed it
 * @param token the secret that lets this member's next connection take the nick over
 * @param outbox where frames for this member's connection are queued
 */
public record Member(String name, String token, Outbox outbox) {

  /** The key under which nicks are unique in a room: case does not count. */
  public String key() {
    return keyOf(name);
  }

  public static String keyOf(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }
}
