package dev.parley.stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * How a chat frame travels on an event stream: {@code event: <type>}, {@code data: <the same
 * JSON>}, and for a {@code message} the id {@code <epoch>:<id>}, which a reopened stream sends back
 * as {@code Last-Event-ID} to resume. An empty frame is a comment that keeps proxies from closing
 * an idle stream.
 */
final class EventStreamFormat {

  /** The frame that becomes a comment line. */
  static final String KEEP_ALIVE = "";

  private static final String TYPE_PREFIX = "{\"type\":\"";

  private EventStreamFormat() {}

  /** The event for one frame; {@code epoch} is the stream's, from its welcome (null before). */
  static byte[] event(String frame, String epoch) {
    if (frame.isEmpty()) {
      return ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    }
    String type = typeOf(frame);
    StringBuilder event = new StringBuilder(frame.length() + 64);
    event.append("event: ").append(type).append('\n');
    if (type.equals("message") && epoch != null) {
      event.append("id: ").append(epoch).append(':').append(messageId(frame)).append('\n');
    }
    // JSON text carries no raw line breaks, so one data line holds the frame
    return event
        .append("data: ")
        .append(frame)
        .append("\n\n")
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The epoch a welcome frame names, or null for any other frame. */
  static String epochOf(String frame) {
    return frame.startsWith(TYPE_PREFIX + "welcome\"") ? json(frame).getString("epoch") : null;
  }

  /** The {@code since} and {@code epoch} a {@code Last-Event-ID} stands for, or null. */
  static String[] resumePoint(String lastEventId) {
    if (lastEventId == null) {
      return null;
    }
    int colon = lastEventId.lastIndexOf(':');
    if (colon <= 0 || colon == lastEventId.length() - 1) {
      return null;
    }
    return new String[] {lastEventId.substring(colon + 1), lastEventId.substring(0, colon)};
  }

  /** A message's id: written right after its type, so found without parsing the whole frame. */
  private static String messageId(String frame) {
    String prefix = TYPE_PREFIX + "message\",\"id\":";
    if (frame.startsWith(prefix)) {
      int end = prefix.length();
      while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
        end++;
      }
      if (end > prefix.length()) {
        return frame.substring(prefix.length(), end);
      }
    }
    return json(frame).getJsonNumber("id").toString();
  }

  /** The frame's type: every server frame starts with it (ServerMessageEncoder writes it first). */
  private static String typeOf(String frame) {
    if (frame.startsWith(TYPE_PREFIX)) {
      int end = frame.indexOf('"', TYPE_PREFIX.length());
      if (end > 0) {
        return frame.substring(TYPE_PREFIX.length(), end);
      }
    }
    return json(frame).getString("type");
  }

  private static JsonObject json(String frame) {
    try (var reader = Json.createReader(new StringReader(frame))) {
      return reader.readObject();
    }
  }
}
