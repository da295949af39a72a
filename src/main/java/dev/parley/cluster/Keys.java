package dev.parley.cluster;

/**
 * The Redis keys and channels of Parley. A room's keys share the hash tag {@code {room}}; room
 * names are limited to {@code A-Z a-z 0-9 _ -}, so they are safe inside key names.
 */
final class Keys {

  static final String PREFIX = "parley:";
  static final String NODES = PREFIX + "nodes";
  static final String EVENTS = PREFIX + "events:";
  static final String EVENTS_PATTERN = EVENTS + "*";

  private Keys() {}

  /** One of a room's keys: epoch, seq (events), ids (messages), log, members. */
  static String room(String room, String part) {
    return PREFIX + "room:{" + room + "}:" + part;
  }

  /** The channel of a room's events. */
  static String events(String room) {
    return EVENTS + room;
  }

  /** The room a channel belongs to. */
  static String roomOf(String channel) {
    return channel.substring(EVENTS.length());
  }

  /** Exists while the node is alive (its heartbeat refreshes the expiry). */
  static String node(String node) {
    return PREFIX + "node:" + node;
  }

  /** The rooms in which a node has members, for the sweep after it died. */
  static String nodeRooms(String node) {
    return PREFIX + "node:" + node + ":rooms";
  }
}
