package dev.parley.chat;

import dev.parley.chat.ClientMessage.HistoryRequest;
import dev.parley.chat.ClientMessage.Invalid;
import dev.parley.chat.ClientMessage.Say;
import dev.parley.chat.ClientMessage.Typing;
import dev.parley.chat.ClientMessage.Whisper;
import dev.parley.chat.ServerMessage.ChatMessage;
import dev.parley.chat.ServerMessage.ErrorFrame;
import dev.parley.chat.ServerMessage.HistoryPage;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.ops.Metrics;
import dev.parley.security.PeerAddress;
import dev.parley.session.CloseCodes;
import dev.parley.session.FrameSize;
import dev.parley.session.Member;
import dev.parley.session.Outbox;
import dev.parley.session.Room.Admission;
import dev.parley.session.SessionRegistry;
import dev.parley.session.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The chat protocol: who may join, and what each client message does. */
@ApplicationScoped
public class ChatService {

  private static final System.Logger LOG = System.getLogger(ChatService.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  static final String BAD_ROOM = "Room must be 1-64 characters of A-Z a-z 0-9 _ -";
  static final String BAD_NICK = "Nick must be 1-32 characters without control characters";
  static final String BAD_SINCE = "since must be a non-negative integer";
  static final String NICK_TAKEN = "Nick is taken in this room";
  static final String ROOM_FULL = "Room is full";
  static final String REPLACED = "Replaced by a newer connection of the same member";
  static final String RATE_ABUSE = "Rate limit exceeded repeatedly";
  static final String BINARY_REFUSED = "Chat accepts JSON text frames only";
  static final String UNAVAILABLE = "Chat is unavailable for a moment; reconnect to resume";

  private final SessionRegistry registry;
  private final ChatRooms rooms;
  private final Settings settings;
  private final Metrics metrics;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  @Inject
  public ChatService(
      SessionRegistry registry, ChatRooms rooms, Settings settings, Metrics metrics) {
    this.registry = registry;
    this.rooms = rooms;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** For CDI's client proxy only. */
  protected ChatService() {
    this(null, null, null, null);
  }

  /**
   * Admits a new connection to {@code room} under the nick in its URL and sends its welcome, or
   * closes it with the code that says why not.
   */
  public Optional<ChatConnection> open(Session session, String room) {
    String address = PeerAddress.of(session);
    if (!registry.claimAddressSlot(
        session, address, settings.getInt(Setting.MAX_CONNECTIONS_PER_ADDRESS))) {
      return Optional.empty();
    }
    // Containers with smaller default buffers (Tomcat: 8 KiB) must accept frames up to our limit.
    session.setMaxTextMessageBufferSize(settings.getInt(Setting.MAX_TEXT_MESSAGE_BYTES));
    // a binary message is refused (1003), but must not be buffered without bound to get there
    session.setMaxBinaryMessageBufferSize(settings.getInt(Setting.MAX_BINARY_MESSAGE_BYTES));
    Sessions.boundCloseWait(session);
    Map<String, List<String>> query = session.getRequestParameterMap();
    Optional<String> nick = Names.nick(first(query, "name"));
    if (!Names.isValidRoom(room)) {
      return refuse(session, CloseCodes.BAD_NAME, BAD_ROOM);
    }
    if (nick.isEmpty()) {
      return refuse(session, CloseCodes.BAD_NAME, BAD_NICK);
    }
    Long since;
    try {
      since = parseSince(first(query, "since"));
    } catch (NumberFormatException e) {
      return refuse(session, CloseCodes.BAD_NAME, BAD_SINCE);
    }
    String epoch = first(query, "epoch");
    Outbox outbox =
        new Outbox(
            session,
            settings.getInt(Setting.MAX_QUEUED_MESSAGES),
            settings.get(Setting.MAX_QUEUED_CHARS),
            metrics);
    Member member = new Member(nick.get(), newToken(), outbox);
    Admission admission;
    try {
      admission = rooms.join(room, member, first(query, "token"), since, epoch);
    } catch (RoomsUnavailableException e) {
      LOG.log(Level.WARNING, "Chat state unreachable, refusing a join to room {0}: {1}", room, e);
      return refuse(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
    }
    if (admission instanceof Admission.NickTaken) {
      return refuse(session, CloseCodes.NICK_TAKEN, NICK_TAKEN);
    }
    if (admission instanceof Admission.RoomFull) {
      return refuse(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, ROOM_FULL);
    }
    ((Admission.Admitted) admission)
        .replaced()
        .ifPresent(
            stale ->
                Sessions.close(
                    stale.outbox().session(), new CloseReason(CloseCodes.REPLACED, REPLACED)));
    LOG.log(
        Level.INFO,
        "{0} joined room {1} from {2} (session {3})",
        member.name(),
        room,
        address,
        session.getId());
    ChatConnection connection =
        new ChatConnection(
            room,
            member,
            new TokenBucket(
                settings.get(Setting.RATE_PER_SECOND),
                settings.get(Setting.RATE_BURST),
                System::nanoTime),
            TimeUnit.MILLISECONDS.toNanos(settings.get(Setting.TYPING_INTERVAL_MILLIS)));
    outbox.onDrop(reason -> close(connection, reason));
    return Optional.of(connection);
  }

  /** Acts on one client frame. */
  public void handle(ChatConnection connection, ClientMessage message) {
    if (message instanceof ClientMessage.Oversized oversized) {
      connection.member().outbox().closeWhenSent(FrameSize.tooBig(oversized.maxBytes()));
      return;
    }
    int strikes = connection.charge();
    if (strikes >= settings.get(Setting.RATE_STRIKES)) {
      connection
          .member()
          .outbox()
          .closeWhenSent(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, RATE_ABUSE));
      return;
    }
    if (strikes > 0) {
      metrics.rateLimited();
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.RATE_LIMITED,
              "Slow down: at most "
                  + settings.get(Setting.RATE_PER_SECOND)
                  + " messages per second; this one was dropped",
              cidOf(message)));
      return;
    }
    if (message instanceof Say say) {
      say(connection, say);
    } else if (message instanceof Whisper whisper) {
      whisper(connection, whisper);
    } else if (message instanceof Typing) {
      typing(connection);
    } else if (message instanceof HistoryRequest request) {
      history(connection, request);
    } else if (message instanceof Invalid invalid) {
      reply(connection, new ErrorFrame(invalid.code(), invalid.detail(), invalid.cid()));
    }
  }

  /**
   * Removes the member, unless a newer connection took its nick, and tells the others. Runs when
   * the container reports the close and when Parley drops the connection itself; the second call
   * finds the member gone and does nothing.
   */
  public void close(ChatConnection connection, CloseReason reason) {
    Member member = connection.member();
    boolean removed = rooms.leave(connection.room(), member);
    if (!removed) {
      return;
    }
    LOG.log(
        Level.INFO,
        "{0} left room {1} from {2} (session {3}, close {4})",
        member.name(),
        connection.room(),
        PeerAddress.of(member.outbox().session()),
        member.outbox().session().getId(),
        reason.getCloseCode().getCode());
  }

  /** Chat speaks JSON text; a binary frame closes the connection with 1003. */
  public void refuseBinary(Session session, ChatConnection connection) {
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, BINARY_REFUSED);
    if (connection == null) {
      Sessions.close(session, reason);
    } else {
      connection.member().outbox().closeWhenSent(reason); // after what is already queued
    }
  }

  private void say(ChatConnection connection, Say say) {
    if (!acceptableText(connection, say.text(), say.cid())) {
      return;
    }
    try {
      metrics
          .fanOut()
          .record(() -> rooms.say(connection.room(), connection.member(), say.text(), say.cid()));
    } catch (RoomsUnavailableException e) {
      LOG.log(Level.DEBUG, "Say refused in room {0}: {1}", connection.room(), e);
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.UNAVAILABLE,
              "The message was not accepted: chat is unavailable for a moment; send it again",
              say.cid()));
    }
  }

  private void whisper(ChatConnection connection, Whisper whisper) {
    if (!acceptableText(connection, whisper.text(), whisper.cid())) {
      return;
    }
    boolean delivered;
    try {
      delivered = rooms.whisper(connection.room(), connection.member(), whisper);
    } catch (RoomsUnavailableException e) {
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.UNAVAILABLE,
              "The whisper was not sent: chat is unavailable for a moment",
              whisper.cid()));
      return;
    }
    if (!delivered) {
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.NO_SUCH_MEMBER,
              "Nobody named " + whisper.to() + " is here",
              whisper.cid()));
    }
  }

  private void typing(ChatConnection connection) {
    if (!connection.typingAllowed(System.nanoTime())) {
      return;
    }
    try {
      rooms.typing(connection.room(), connection.member());
    } catch (RoomsUnavailableException e) {
      LOG.log(Level.DEBUG, "Typing notice not relayed in room {0}: {1}", connection.room(), e);
    }
  }

  private void history(ChatConnection connection, HistoryRequest request) {
    try {
      List<ChatMessage> page = rooms.before(connection.room(), request.before(), request.limit());
      reply(connection, new HistoryPage(page));
    } catch (RoomsUnavailableException e) {
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.UNAVAILABLE, "History is unavailable for a moment; ask again", null));
    }
  }

  private boolean acceptableText(ChatConnection connection, String text, String cid) {
    int max = settings.getInt(Setting.MAX_SAY_CHARS);
    if (text.length() > max) {
      reply(
          connection,
          new ErrorFrame(ErrorCode.TOO_LONG, "Text is longer than " + max + " characters", cid));
      return false;
    }
    if (text.isBlank()) {
      reply(connection, new ErrorFrame(ErrorCode.INVALID_FIELD, "Text must not be empty", cid));
      return false;
    }
    return true;
  }

  private void reply(ChatConnection connection, ServerMessage message) {
    if (message instanceof ErrorFrame error) {
      metrics.error(error.code());
    }
    connection.member().outbox().offer(encode(message));
  }

  private String encode(ServerMessage message) {
    return encoder.encode(message);
  }

  private static Optional<ChatConnection> refuse(Session session, CloseCode code, String reason) {
    LOG.log(
        Level.INFO,
        "Refused session {0} from {1}: {2} {3}",
        session.getId(),
        PeerAddress.of(session),
        code.getCode(),
        reason);
    Sessions.close(session, new CloseReason(code, reason));
    return Optional.empty();
  }

  private static String cidOf(ClientMessage message) {
    if (message instanceof Say say) {
      return say.cid();
    }
    if (message instanceof Whisper whisper) {
      return whisper.cid();
    }
    return null;
  }

  private static Long parseSince(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    long since = Long.parseLong(raw);
    if (since < 0) {
      throw new NumberFormatException(raw);
    }
    return since;
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String newToken() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
