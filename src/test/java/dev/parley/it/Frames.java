package dev.parley.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;

/** Client frames of the chat protocol, built as a client would build them. */
final class Frames {

  private Frames() {}

  static JsonObject say(String text) {
    return Json.createObjectBuilder().add("type", "say").add("text", text).build();
  }

  static JsonObject say(String text, String cid) {
    return Json.createObjectBuilder().add("type", "say").add("text", text).add("cid", cid).build();
  }

  static JsonObject whisper(String to, String text) {
    return Json.createObjectBuilder()
        .add("type", "whisper")
        .add("to", to)
        .add("text", text)
        .build();
  }

  static JsonObject typing() {
    return Json.createObjectBuilder().add("type", "typing").build();
  }

  static JsonObject history(long before, int limit) {
    return Json.createObjectBuilder()
        .add("type", "history")
        .add("before", before)
        .add("limit", limit)
        .build();
  }

  /** The names in a {@code members} array. */
  static List<String> members(JsonObject frame) {
    return frame.getJsonArray("members").getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  /** The names in one of a frame's arrays: {@code joined} or {@code left} of a presence frame. */
  static List<String> names(JsonObject frame, String field) {
    return frame.getJsonArray(field).getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  /** A request for the room's members after {@code after}. */
  static JsonObject members(String after, int limit) {
    return Json.createObjectBuilder()
        .add("type", "members")
        .add("after", after)
        .add("limit", limit)
        .build();
  }

  /** The ids of a list of messages. */
  static List<Long> ids(jakarta.json.JsonArray messages) {
    return messages.getValuesAs(JsonObject.class).stream()
        .map(message -> message.getJsonNumber("id").longValue())
        .toList();
  }
}
