package dev.parley.message;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/** What the server sends to chat clients; each knows its {@code type} and its fields. */
public sealed interface ServerMessage {

  /** The {@code type} discriminator on the wire. */
  String type();

  /** Adds this message's fields (all but {@code type}) to {@code json}. */
  void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory);

  /** The first frame of every chat connection. */
  record Welcome(
      String room,
      String name,
      String token,
      String epoch,
      List<String> members,
      int count,
      List<ChatMessage> history,
      long last,
      boolean complete)
      implements ServerMessage {
    @Override
    public String type() {
      return "welcome";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("room", room)
          .add("name", name)
          .add("token", token)
          .add("epoch", epoch)
          .add("members", nameArray(members, factory))
          .add("count", count)
          .add("history", messageArray(history, factory))
          .add("last", last)
          .add("complete", complete);
    }
  }

  /** A message said in a room; ids increase strictly per room. */
  record ChatMessage(long id, String room, String from, String text, String ts, String cid)
      implements ServerMessage {
    @Override
    public String type() {
      return "message";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("id", id).add("room", room).add("from", from).add("text", text).add("ts", ts);
      if (cid != null) {
        json.add("cid", cid);
      }
    }
  }

  /** A private message, sent to its target and back to its sender. */
  record WhisperMessage(String from, String to, String text, String ts, String cid)
      implements ServerMessage {
    @Override
    public String type() {
      return "whisper";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("from", from).add("to", to).add("text", text).add("ts", ts);
      if (cid != null) {
        json.add("cid", cid);
      }
    }
  }

  /**
   * The room's membership changes of one interval, net: a nick that joined and left within it (or
   * left and came back) is in neither list. {@code count} is the room's size after them.
   */
  record PresenceChange(List<String> joined, List<String> left, int count)
      implements ServerMessage {
    @Override
    public String type() {
      return "presence";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("joined", nameArray(joined, factory))
          .add("left", nameArray(left, factory))
          .add("count", count);
    }
  }

  /** A page of the room's members in join order, answering a {@code members} request. */
  record MembersPage(List<String> names, int count) implements ServerMessage {
    @Override
    public String type() {
      return "members";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("names", nameArray(names, factory)).add("count", count);
    }
  }

  /** Someone is typing. */
  record TypingNotice(String name) implements ServerMessage {
    @Override
    public String type() {
      return "typing";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("name", name);
    }
  }

  /** The answer to a {@code history} request, oldest first. */
  record HistoryPage(List<ChatMessage> messages) implements ServerMessage {
    @Override
    public String type() {
      return "history";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("messages", messageArray(messages, factory));
    }
  }

  /** A refused frame; the connection stays open. */
  record ErrorFrame(ErrorCode code, String message, String cid) implements ServerMessage {
    @Override
    public String type() {
      return "error";
    }

    @Override
    public void writeFields(JsonObjectBuilder json, JsonBuilderFactory factory) {
      json.add("code", code.code()).add("message", message);
      if (cid != null) {
        json.add("cid", cid);
      }
    }
  }

  private static JsonArrayBuilder nameArray(List<String> names, JsonBuilderFactory factory) {
    JsonArrayBuilder array = factory.createArrayBuilder();
    names.forEach(array::add);
    return array;
  }

  private static JsonArrayBuilder messageArray(
      List<ChatMessage> messages, JsonBuilderFactory factory) {
    JsonArrayBuilder array = factory.createArrayBuilder();
    for (ChatMessage message : messages) {
      JsonObjectBuilder json = factory.createObjectBuilder().add("type", message.type());
      message.writeFields(json, factory);
      array.add(json);
    }
    return array;
  }
}
