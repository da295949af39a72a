package dev.parley.stream;

import dev.parley.chat.ChatConnection;
import dev.parley.chat.ChatProtocol;
import dev.parley.chat.ClientMessage;
import dev.parley.chat.ClientMessageDecoder;
import dev.parley.chat.Names;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.hub.BrokerUnavailableException;
import dev.parley.message.ErrorCode;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessageEncoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /sse/chat/{room}}: one client frame for the stream whose token the request names
 * ({@code X-Parley-Token}). A stream of this node handles it here; one of another node gets it
 * through the broker ({@link PostRelay}). Answers 202 once the frame is taken, and 400, 401, 413,
 * 429 or 503 with an {@code error} body when not.
 */
final class FramePosts {

  /** The header naming the stream a POST belongs to: the {@code token} of its welcome. */
  static final String TOKEN_HEADER = "X-Parley-Token";

  static final String UNKNOWN_TOKEN = "No event stream of this room holds that token";

  static final String NOT_UTF_8 = "Not UTF-8 text";

  static final String UNAVAILABLE = "Chat is unavailable for a moment; send it again";

  private final StreamMembers members;
  private final PostRelay relay;
  private final ChatProtocol chat;
  private final Settings settings;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  FramePosts(StreamMembers members, PostRelay relay, ChatProtocol chat, Settings settings) {
    this.members = members;
    this.relay = relay;
    this.chat = chat;
    this.settings = settings;
  }

  /** Handles a POST to {@code room}, whose origin was allowed. */
  void handle(String room, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String token = request.getHeader(TOKEN_HEADER);
    ChatConnection connection = members.find(token);
    if (connection == null || !connection.room().equals(room)) {
      if (token == null || !Names.isValidRoom(room)) {
        unknownToken(response);
      } else {
        relay(room, token, request, response);
      }
      return;
    }
    if (!members.startPost(connection)) {
      answer(response, 429, ErrorCode.RATE_LIMITED, "One POST at a time per stream");
      return;
    }
    try {
      post(connection, request, response);
    } finally {
      members.endPost(connection);
    }
  }

  /** Reads, checks and hands over one frame; at most one per stream at a time. */
  private void post(
      ChatConnection connection, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] body = readBody(request);
    String text = body == null ? null : utf8(body);
    ClientMessage message =
        text == null
            ? new ClientMessage.Invalid(ErrorCode.BAD_JSON, NOT_UTF_8, null)
            : new ClientMessageDecoder().decode(text);
    if (body == null || message instanceof ClientMessage.Oversized) {
      tooLarge(response);
      return;
    }
    // charged like any frame, and told on the stream too, so that invalid frames count as well
    boolean taken = chat.handle(connection, message);
    if (!taken) {
      answer(
          response,
          429,
          ErrorCode.RATE_LIMITED,
          "Slow down: at most "
              + settings.get(Setting.RATE_PER_SECOND)
              + " messages per second; this one was dropped");
      return;
    }
    if (message instanceof ClientMessage.Invalid invalid) {
      write(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          new ErrorFrame(invalid.code(), invalid.detail(), invalid.cid()));
      return;
    }
    response.setStatus(HttpServletResponse.SC_ACCEPTED);
  }

  /**
   * A POST for a stream that another node may hold: checked here as far as the frame goes (413,
   * 400), then passed on through the broker, which knows whether any member holds the token (401).
   * A rate-limited frame is told on the stream only: the stream's node keeps its rate.
   */
  private void relay(
      String room, String token, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] body = readBody(request);
    String text = body == null ? null : utf8(body);
    ClientMessage message = text == null ? null : new ClientMessageDecoder().decode(text);
    if (body == null || message instanceof ClientMessage.Oversized) {
      tooLarge(response);
      return;
    }
    if (text == null) {
      answer(response, HttpServletResponse.SC_BAD_REQUEST, ErrorCode.BAD_JSON, NOT_UTF_8);
      return;
    }
    boolean relayed;
    try {
      relayed = relay.forward(room, token, text);
    } catch (BrokerUnavailableException e) {
      answer(
          response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, UNAVAILABLE);
      return;
    }
    if (!relayed) {
      unknownToken(response);
    } else if (message instanceof ClientMessage.Invalid invalid) {
      write(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          new ErrorFrame(invalid.code(), invalid.detail(), invalid.cid()));
    } else {
      response.setStatus(HttpServletResponse.SC_ACCEPTED);
    }
  }

  /**
   * The body, or null when it is over the frame limit. Reads to one byte past the limit, so that a
   * client still sending is not left blocked (it reads the answer only once its body is out); a
   * larger body's rest is not swallowed.
   */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    int max = settings.getInt(Setting.MAX_TEXT_MESSAGE_BYTES);
    byte[] body =
        request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, max + 1L));
    return body.length > max ? null : body;
  }

  /** The body as text, or null when it is not UTF-8 (as invalid as a body that is not JSON). */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private void tooLarge(HttpServletResponse response) throws IOException {
    response.setHeader("Connection", "close");
    answer(
        response,
        HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
        ErrorCode.TOO_LARGE,
        "A frame may have at most " + settings.getInt(Setting.MAX_TEXT_MESSAGE_BYTES) + " bytes");
  }

  private void unknownToken(HttpServletResponse response) throws IOException {
    answer(response, HttpServletResponse.SC_UNAUTHORIZED, ErrorCode.UNKNOWN_TOKEN, UNKNOWN_TOKEN);
  }

  private void answer(HttpServletResponse response, int status, ErrorCode code, String detail)
      throws IOException {
    write(response, status, new ErrorFrame(code, detail, null));
  }

  private void write(HttpServletResponse response, int status, ErrorFrame error)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(encoder.encode(error));
  }
}
