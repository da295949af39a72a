package dev.parley.chat;

import dev.parley.auth.Authentication;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.hub.Admission;
import dev.parley.hub.BrokerUnavailableException;
import dev.parley.hub.Hub;
import dev.parley.hub.Ids;
import dev.parley.hub.Member;
import dev.parley.ops.Metrics;
import dev.parley.security.PeerAddress;
import dev.parley.session.CloseCodes;
import dev.parley.session.Outbox;
import dev.parley.session.Peer;
import dev.parley.session.SessionRegistry;
import dev.parley.session.Sessions;
import dev.parley.session.WebSocketPeer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Who may join: checks a new chat connection's address, room, nick and resume point. */
@ApplicationScoped
public class ChatAdmission {

  private static final System.Logger LOG = System.getLogger(ChatAdmission.class.getName());

  static final String BAD_ROOM = "Room must be 1-64 characters of A-Z a-z 0-9 _ -";
  static final String BAD_NICK = "Nick must be 1-32 characters without control characters";
  static final String BAD_SINCE = "since must be a non-negative integer";
  static final String NICK_TAKEN = "Nick is taken in this room";
  static final String ROOM_FULL = "Room is full";
  static final String UNAVAILABLE = "Chat is unavailable for a moment; reconnect to resume";
  static final String AUTHENTICATION_REQUIRED = "A token is required";

  private final SessionRegistry registry;
  private final Hub hub;
  private final Settings settings;
  private final Metrics metrics;
  private final Authentication authentication;
  private final TokenLeases leases;

  @Inject
  public ChatAdmission(
      SessionRegistry registry,
      Hub hub,
      Settings settings,
      Metrics metrics,
      Authentication authentication,
      TokenLeases leases) {
    this.registry = registry;
    this.hub = hub;
    this.settings = settings;
    this.metrics = metrics;
    this.authentication = authentication;
    this.leases = leases;
  }

  /** For CDI's client proxy only. */
  protected ChatAdmission() {
    this(null, null, null, null, null, null);
  }

  /**
   * Admits a new WebSocket connection to {@code room} under the nick in its URL and sends its
   * welcome, or closes it with the code that says why not.
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
    return admit(new WebSocketPeer(session, address), room, session.getRequestParameterMap());
  }

  /**
   * Admits a connection on any transport to {@code room} with the query of its URL ({@code name},
   * {@code since}, {@code epoch}, {@code token}) and sends its welcome, or closes the peer with the
   * code that says why not. The caller has counted the connection against its address.
   */
  public Optional<ChatConnection> admit(Peer peer, String room, Map<String, List<String>> query) {
    boolean authenticated = authentication.enabled();
    String subject = first(query, Authentication.SUBJECT);
    if (authenticated && subject == null) { // the handshake did not pass the authentication filter
      return refuse(peer, CloseReason.CloseCodes.VIOLATED_POLICY, AUTHENTICATION_REQUIRED);
    }
    // with authentication, the nick is the token's and ?name= is ignored
    Optional<String> nick = Names.nick(first(query, authenticated ? Authentication.NAME : "name"));
    if (!Names.isValidRoom(room)) {
      return refuse(peer, CloseCodes.BAD_NAME, BAD_ROOM);
    }
    if (nick.isEmpty()) {
      return refuse(peer, CloseCodes.BAD_NAME, BAD_NICK);
    }
    Long since;
    try {
      since = parseSince(first(query, "since"));
    } catch (NumberFormatException e) {
      return refuse(peer, CloseCodes.BAD_NAME, BAD_SINCE);
    }
    Outbox outbox =
        new Outbox(
            peer,
            settings.getInt(Setting.MAX_QUEUED_MESSAGES),
            settings.get(Setting.MAX_QUEUED_CHARS),
            metrics,
            registry.closes());
    Member member = new Member(nick.get(), Ids.random(18), outbox);
    Admission admission;
    try {
      admission = hub.join(room, member, first(query, "token"), since, first(query, "epoch"));
    } catch (BrokerUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "Chat state unreachable, refusing a join to room {0}: {1} ({2})",
          room,
          e.getMessage(),
          String.valueOf(e.getCause()));
      return refuse(peer, CloseReason.CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
    }
    if (admission instanceof Admission.NickTaken) {
      return refuse(peer, CloseCodes.NICK_TAKEN, NICK_TAKEN);
    }
    if (admission instanceof Admission.RoomFull) {
      return refuse(peer, CloseReason.CloseCodes.TRY_AGAIN_LATER, ROOM_FULL);
    }
    registry.addChat(outbox);
    LOG.log(
        Level.DEBUG,
        "{0} joined room {1} from {2} (session {3})",
        member.name(),
        room,
        peer.address(),
        peer.id());
    ChatConnection connection =
        new ChatConnection(
            room,
            member,
            new TokenBucket(
                settings.get(Setting.RATE_PER_SECOND),
                settings.get(Setting.RATE_BURST),
                System::nanoTime),
            TimeUnit.MILLISECONDS.toNanos(settings.get(Setting.TYPING_INTERVAL_MILLIS)));
    if (authenticated) {
      Instant expires = Instant.ofEpochSecond(Long.parseLong(first(query, Authentication.EXPIRES)));
      leases.start(connection, subject, expires);
    }
    return Optional.of(connection);
  }

  /**
   * Closes a refused connection once its open has returned: closing inside {@code @OnOpen} made
   * Payara answer some handshakes with {@code Connection: close, Upgrade}, which clients reject
   * before they could read the close code.
   */
  private Optional<ChatConnection> refuse(Peer peer, CloseCode code, String reason) {
    LOG.log(
        Level.INFO,
        "Refused session {0} from {1}: {2} {3}",
        peer.id(),
        peer.address(),
        code.getCode(),
        reason);
    registry.closes().execute(() -> peer.close(new CloseReason(code, reason)));
    return Optional.empty();
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
}
