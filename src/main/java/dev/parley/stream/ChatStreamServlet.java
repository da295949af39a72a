package dev.parley.stream;

import dev.parley.chat.ChatAdmission;
import dev.parley.chat.ChatConnection;
import dev.parley.chat.ChatProtocol;
import dev.parley.chat.ClientMessage;
import dev.parley.chat.ClientMessageDecoder;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.message.ErrorCode;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.security.HandshakeFilter;
import dev.parley.security.OriginPolicy;
import dev.parley.session.SendWatchdog;
import dev.parley.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Chat for clients that cannot open a WebSocket (a proxy refuses the upgrade): {@code GET
 * /sse/chat/{room}} is the member's event stream, with the WebSocket's query, and {@code POST
 * /sse/chat/{room}} with {@code X-Parley-Token} carries one client frame. Everything else (nick
 * rules, limits, presence, resume, takeover) is the chat's own, as on the WebSocket.
 */
@WebServlet(urlPatterns = "/sse/chat/*", asyncSupported = true)
public class ChatStreamServlet extends HttpServlet {

  /** The header naming the stream a POST belongs to: the {@code token} of its welcome. */
  public static final String TOKEN_HEADER = "X-Parley-Token";

  static final String UNKNOWN_TOKEN = "No event stream of this room holds that token";

  @Inject ChatAdmission admission;
  @Inject ChatProtocol chat;
  @Inject StreamMembers members;
  @Inject SessionRegistry registry;
  @Inject SendWatchdog sendWatchdog;
  @Inject Settings settings;

  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private OriginPolicy origins;

  @Override
  public void init() {
    origins =
        new OriginPolicy(
            Settings.text(HandshakeFilter.SETTING, getServletContext()::getInitParameter));
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!originAllowed(request, response)) {
      return;
    }
    String room = roomOf(request);
    String address = request.getRemoteAddr();
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Accel-Buffering", "no"); // nginx: pass each event on at once
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // a stream lasts as long as its member; the keep-alive finds dead ones
    EventStreamPeer peer = new EventStreamPeer(UUID.randomUUID().toString(), address, async);
    if (!registry.claimAddress(address, settings.getInt(Setting.MAX_CONNECTIONS_PER_ADDRESS))) {
      peer.start();
      peer.close(
          new CloseReason(
              CloseReason.CloseCodes.TRY_AGAIN_LATER, SessionRegistry.TOO_MANY_FROM_ADDRESS));
      return;
    }
    AtomicReference<ChatConnection> admitted = new AtomicReference<>();
    peer.onEnd( // in place before anything can end the stream
        reason -> {
          registry.releaseAddress(address);
          ChatConnection connection = admitted.get();
          if (connection != null) {
            members.remove(connection);
            chat.close(connection, reason);
          }
        });
    peer.start();
    admission
        .admit(peer, room, queryOf(request))
        .ifPresent(
            connection -> {
              admitted.set(connection);
              members.add(connection);
              sendWatchdog.start();
              connection.member().outbox().onDrop(reason -> chat.close(connection, reason));
              if (!peer.isOpen()) { // ended while joining: its end may not have seen the member
                members.remove(connection);
                chat.close(connection, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "ended"));
              }
            });
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!originAllowed(request, response)) {
      return;
    }
    ChatConnection connection = members.find(request.getHeader(TOKEN_HEADER));
    if (connection == null || !connection.room().equals(roomOf(request))) {
      answer(response, HttpServletResponse.SC_UNAUTHORIZED, ErrorCode.UNKNOWN_TOKEN, UNKNOWN_TOKEN);
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
    int max = settings.getInt(Setting.MAX_TEXT_MESSAGE_BYTES);
    // Read to one byte past the limit, so that a client still sending is not left blocked (it
    // reads the answer only once its body is out); a larger body's rest is not swallowed.
    byte[] body =
        request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, max + 1L));
    ClientMessage message = body.length > max ? null : decode(body);
    if (message == null || message instanceof ClientMessage.Oversized) {
      response.setHeader("Connection", "close");
      answer(
          response,
          HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
          ErrorCode.TOO_LARGE,
          "A frame may have at most " + max + " bytes");
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

  /** The frame a body holds; a body that is not UTF-8 is as invalid as one that is not JSON. */
  private static ClientMessage decode(byte[] body) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
      return new ClientMessageDecoder().decode(text);
    } catch (CharacterCodingException e) {
      return new ClientMessage.Invalid(ErrorCode.BAD_JSON, "Not UTF-8 text", null);
    }
  }

  private boolean originAllowed(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String origin = request.getHeader("Origin");
    if (origins.allows(origin, request.getHeader("Host"))) {
      return true;
    }
    response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed: " + origin);
    return false;
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

  /** The room: the one path segment after {@code /sse/chat/}. */
  private static String roomOf(HttpServletRequest request) {
    String path = request.getPathInfo();
    return path == null || path.length() < 2 ? "" : path.substring(1);
  }

  /** The URL's query, and a {@code Last-Event-ID} as {@code since} and {@code epoch}. */
  private static Map<String, List<String>> queryOf(HttpServletRequest request) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    request.getParameterMap().forEach((name, values) -> query.put(name, Arrays.asList(values)));
    String[] resume = EventStreamFormat.resumePoint(request.getHeader("Last-Event-ID"));
    if (resume != null && !query.containsKey("since")) {
      query.put("since", List.of(resume[0]));
      query.put("epoch", List.of(resume[1]));
    }
    return query;
  }
}
