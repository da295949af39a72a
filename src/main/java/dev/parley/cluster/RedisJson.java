package dev.parley.cluster;

import dev.parley.message.ServerMessage.ChatMessage;
import jakarta.json.JsonArray;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;

/**
 * The JSON that Parley keeps in Redis and publishes there. A chat message in a room's log and in
 * its events has {@code id}, {@code from}, {@code text}, {@code ts} and {@code cid}; the id is
 * written in by the script that numbers the message, so Java writes the rest and the script puts
 * {@code "id":N,} in front.
 */
final class RedisJson {

  private final JsonBuilderFactory builders;
  private final JsonReaderFactory readers;

  RedisJson() {
    JsonProvider json = JsonProvider.provider();
    builders = json.createBuilderFactory(Map.of());
    readers = json.createReaderFactory(Map.of());
  }

  /** The message without its id; never empty, so the script can splice the id in. */
  String withoutId(String from, String text, String ts, String cid) {
    JsonObjectBuilder json = builders.createObjectBuilder().add("from", from).add("text", text);
    json.add("ts", ts);
    if (cid != null) {
      json.add("cid", cid);
    }
    return json.build().toString();
  }

  ChatMessage read(String room, String stored) {
    return read(room, parse(stored));
  }

  ChatMessage read(String room, JsonObject json) {
    return new ChatMessage(
        json.getJsonNumber("id").longValueExact(),
        room,
        json.getString("from"),
        json.getString("text"),
        json.getString("ts"),
        json.getString("cid", null));
  }

  JsonArray parseArray(String text) {
    try (var reader = readers.createReader(new StringReader(text))) {
      return reader.readArray();
    }
  }

  JsonObject parse(String text) {
    try (var reader = readers.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }
}
