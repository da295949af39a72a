package dev.parley.cluster;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;

/**
 * What the scripts publish on a room's channel. {@code seq} numbers a room's changes (messages and
 * presence) so that a node can tell what a member's welcome already covered.
 */
sealed interface RoomEvent {

  /** A numbered message, stored in the room's log. */
  record Message(String epoch, long seq, JsonObject message) implements RoomEvent {}

  /** Someone joined or left; {@code members} is the whole room after the change. */
  record Presence(boolean joined, long seq, String name, List<String> members)
      implements RoomEvent {}

  /** A token takeover: the member holding the nick with {@code token} lost it. */
  record Replaced(long seq, String name, String token) implements RoomEvent {}

  /** Someone is typing; every node tells its members but that one. */
  record Typing(String name) implements RoomEvent {}

  /** A whisper for the member holding {@code nickKey} with {@code token}, already encoded. */
  record Whisper(String nickKey, String token, String frame) implements RoomEvent {}

  static RoomEvent parse(JsonObject json) {
    return switch (json.getString("kind")) {
      case "message" ->
          new Message(json.getString("epoch"), seq(json), json.getJsonObject("message"));
      case "joined", "left" ->
          new Presence(
              json.getString("kind").equals("joined"),
              seq(json),
              json.getString("name"),
              names(json));
      case "replaced" -> new Replaced(seq(json), json.getString("name"), json.getString("token"));
      case "typing" -> new Typing(json.getString("name"));
      case "whisper" ->
          new Whisper(json.getString("to"), json.getString("token"), json.getString("frame"));
      default -> throw new IllegalArgumentException("Unknown room event " + json);
    };
  }

  private static long seq(JsonObject json) {
    return json.getJsonNumber("seq").longValueExact();
  }

  private static List<String> names(JsonObject json) {
    return json.getJsonArray("members").getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }
}
