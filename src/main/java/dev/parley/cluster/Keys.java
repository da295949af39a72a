package dev.parley.cluster;

import java.util.List;

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
    return roomPrefix(room) + part;
  }

  /** A room's keys in the order the scripts take them: epoch, seq, ids, log, members. */
  static List<String> roomKeys(String room) {
    return List.of(
        room(room, "epoch"),
        room(room, "seq"),
        room(room, "ids"),
        room(room, "log"),
        room(room, "members"));
  }

  /** What every key of a room begins with; the scripts add {@code cid:ORIGIN:CID} keys to it. */
  static String roomPrefix(String room) {
    return PREFIX + "room:{" + room + "}:";
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
