package dev.parley.stream;

import dev.parley.chat.ChatAdmission;
import dev.parley.chat.ChatConnection;
import dev.parley.chat.ChatProtocol;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
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

  @Inject ChatAdmission admission;
  @Inject ChatProtocol chat;
  @Inject StreamMembers members;
  @Inject PostRelay relay;
  @Inject SessionRegistry registry;
  @Inject SendWatchdog sendWatchdog;
  @Inject Settings settings;

  private OriginPolicy origins;
  private FramePosts posts;

  @Override
  public void init() {
    origins =
        new OriginPolicy(
            Settings.text(HandshakeFilter.SETTING, getServletContext()::getInitParameter));
    relay.start();
    posts = new FramePosts(members, relay, chat, settings);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!originAllowed(request, response)) {
      return;
    }
    String room = roomOf(request);
    String address = request.getRemoteAddr();
    streamHeaders(response);
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // a stream lasts as long as its member; the keep-alive finds dead ones
    EventStreamPeer peer =
        new EventStreamPeer(UUID.randomUUID().toString(), address, async, registry.closes());
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

  /**
   * A stream's headers and nothing more: a HEAD must not join (its events would go nowhere, and
   * nothing would ever notice that its member is gone).
   */
  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response) {
    streamHeaders(response);
  }

  private static void streamHeaders(HttpServletResponse response) {
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Accel-Buffering", "no"); // nginx: pass each event on at once
    // the connection ends with its stream: none of a stalled or departed client is kept idle
    response.setHeader("Connection", "close");
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!originAllowed(request, response)) {
      return;
    }
    posts.handle(roomOf(request), request, response);
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
