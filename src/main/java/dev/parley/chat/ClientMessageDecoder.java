package dev.parley.chat;

import dev.parley.chat.ClientMessage.HistoryRequest;
import dev.parley.chat.ClientMessage.Invalid;
import dev.parley.chat.ClientMessage.MembersRequest;
import dev.parley.chat.ClientMessage.Refresh;
import dev.parley.chat.ClientMessage.Say;
import dev.parley.chat.ClientMessage.Typing;
import dev.parley.chat.ClientMessage.Whisper;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.message.ErrorCode;
import dev.parley.session.FrameSize;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import java.io.StringReader;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads one client frame. It never throws: a frame it cannot understand becomes {@link Invalid},
 * which the endpoint answers with an {@code error} frame while the connection stays open.
 */
public class ClientMessageDecoder implements Decoder.Text<ClientMessage> {

  /** Longest client id echoed back with replies. */
  public static final int MAX_CID_LENGTH = 64;

  /** Largest page a {@code history} request may ask for. */
  public static final int MAX_HISTORY_LIMIT = 100;

  /** Page size when a {@code history} request names no limit. */
  public static final int DEFAULT_HISTORY_LIMIT = 50;

  private static final JsonReaderFactory JSON =
      JsonProvider.provider().createReaderFactory(Map.of());

  /** Most nicks one {@code members} request may ask for, and what it gets without a limit. */
  static final int MAX_MEMBERS_LIMIT = 1000;

  private static final Map<String, Function<Fields, ClientMessage>> PARSERS =
      Map.of(
          "say", fields -> new Say(fields.text("text"), fields.cid()),
          "whisper", fields -> new Whisper(fields.text("to"), fields.text("text"), fields.cid()),
          "typing", fields -> new Typing(),
          "refresh", fields -> new Refresh(fields.text("token")),
          "history",
              fields ->
                  new HistoryRequest(
                      fields.number("before", 1, Long.MAX_VALUE, Long.MAX_VALUE),
                      (int) fields.number("limit", 1, MAX_HISTORY_LIMIT, DEFAULT_HISTORY_LIMIT)),
          "members",
              fields ->
                  new MembersRequest(
                      fields.optionalText("after"),
                      (int) fields.number("limit", 1, MAX_MEMBERS_LIMIT, MAX_MEMBERS_LIMIT)));

  private long maxFrameBytes = Setting.MAX_TEXT_MESSAGE_BYTES.defaultValue();

  /** Reads the frame limit in force; containers create decoders themselves, outside CDI. */
  @Override
  public void init(EndpointConfig config) {
    maxFrameBytes = CDI.current().select(Settings.class).get().get(Setting.MAX_TEXT_MESSAGE_BYTES);
  }

  @Override
  public boolean willDecode(String frame) {
    return true;
  }

  @Override
  public ClientMessage decode(String frame) {
    if (FrameSize.exceeds(frame, maxFrameBytes)) {
      return new ClientMessage.Oversized(maxFrameBytes);
    }
    JsonObject object;
    try (JsonReader reader = JSON.createReader(new StringReader(frame))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        return new Invalid(ErrorCode.BAD_JSON, "A frame must be one JSON object", null);
      }
      object = value.asJsonObject();
    } catch (JsonException e) {
      return new Invalid(ErrorCode.BAD_JSON, "Not valid JSON: " + e.getMessage(), null);
    }
    Fields fields = new Fields(object);
    try {
      String type = fields.text("type");
      Function<Fields, ClientMessage> parser = PARSERS.get(type);
      if (parser == null) {
        return new Invalid(ErrorCode.UNKNOWN_TYPE, "Unknown type: " + type, fields.cidOrNull());
      }
      return parser.apply(fields);
    } catch (FieldException e) {
      return new Invalid(e.code, e.getMessage(), fields.cidOrNull());
    }
  }

  /** A field that is absent or malformed. */
  private static final class FieldException extends RuntimeException {
    private final ErrorCode code;

    FieldException(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** Typed access to the fields of one frame. */
  private record Fields(JsonObject object) {

    String text(String name) {
      JsonValue value = object.get(name);
      if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
        throw new FieldException(ErrorCode.MISSING_FIELD, "Missing field: " + name);
      }
      if (!(value instanceof JsonString string)) {
        throw new FieldException(ErrorCode.INVALID_FIELD, "Field must be a string: " + name);
      }
      return string.getString();
    }

    /** A text field that may be absent (or null). */
    String optionalText(String name) {
      return object.get(name) == null || object.isNull(name) ? null : text(name);
    }

    long number(String name, long min, long max, long absent) {
      JsonValue value = object.get(name);
      if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
        return absent;
      }
      if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
        throw new FieldException(ErrorCode.INVALID_FIELD, "Field must be an integer: " + name);
      }
      try {
        long result = number.longValueExact();
        if (result >= min && result <= max) {
          return result;
        }
      } catch (ArithmeticException e) {
        // out of range of long: reported below like any other out-of-range value
      }
      throw new FieldException(
          ErrorCode.INVALID_FIELD, "Field " + name + " must be between " + min + " and " + max);
    }

    /** The client id, validated; an over-long one is an error. */
    String cid() {
      if (object.get("cid") == null || object.isNull("cid")) {
        return null;
      }
      String cid = text("cid");
      if (cid.length() > MAX_CID_LENGTH) {
        throw new FieldException(
            ErrorCode.INVALID_FIELD, "Field cid is longer than " + MAX_CID_LENGTH);
      }
      return cid;
    }

    /** The client id if it is usable, for error replies to frames that failed otherwise. */
    String cidOrNull() {
      try {
        return cid();
      } catch (FieldException e) {
        return null;
      }
    }
  }
}
