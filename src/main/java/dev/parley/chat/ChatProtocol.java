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
import dev.parley.hub.BrokerUnavailableException;
import dev.parley.hub.Hub;
import dev.parley.hub.Member;
import dev.parley.hub.Roster;
import dev.parley.message.ErrorCode;
import dev.parley.message.ServerMessage;
import dev.parley.message.ServerMessage.ChatMessage;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessage.HistoryPage;
import dev.parley.message.ServerMessage.MembersPage;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.ops.Metrics;
import dev.parley.session.FrameSize;
import dev.parley.session.SessionRegistry;
import dev.parley.session.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.util.List;

/** The chat protocol: what each client frame of an admitted connection does. */
@ApplicationScoped
public class ChatProtocol {

  private static final System.Logger LOG = System.getLogger(ChatProtocol.class.getName());

  static final String RATE_ABUSE = "Rate limit exceeded repeatedly";
  static final String BINARY_REFUSED = "Chat accepts JSON text frames only";

  private final SessionRegistry registry;
  private final Hub hub;
  private final Settings settings;
  private final Metrics metrics;
  private final TokenLeases leases;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();

  @Inject
  public ChatProtocol(
      SessionRegistry registry, Hub hub, Settings settings, Metrics metrics, TokenLeases leases) {
    this.registry = registry;
    this.hub = hub;
    this.settings = settings;
    this.metrics = metrics;
    this.leases = leases;
  }

  /** For CDI's client proxy only. */
  protected ChatProtocol() {
    this(null, null, null, null, null);
  }

  /**
   * Acts on one client frame. Returns false when the frame was dropped for the rate limit (the
   * client was told with an error frame, or closed with 1008 for abusing it) or was too large.
   */
  public boolean handle(ChatConnection connection, ClientMessage message) {
    if (message instanceof ClientMessage.Oversized oversized) {
      connection.member().outbox().closeWhenSent(FrameSize.tooBig(oversized.maxBytes()));
      return false;
    }
    int strikes = connection.charge();
    if (strikes >= settings.get(Setting.RATE_STRIKES)) {
      connection
          .member()
          .outbox()
          .closeWhenSent(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, RATE_ABUSE));
      return false;
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
      return false;
    }
    if (message instanceof Say say) {
      say(connection, say);
    } else if (message instanceof Whisper whisper) {
      whisper(connection, whisper);
    } else if (message instanceof Typing) {
      typing(connection);
    } else if (message instanceof Refresh refresh) {
      if (connection.lease() == null) { // authentication is off: there is no such frame
        reply(connection, new ErrorFrame(ErrorCode.UNKNOWN_TYPE, "Unknown type: refresh", null));
      } else {
        leases.refresh(connection, refresh.token());
      }
    } else if (message instanceof HistoryRequest request) {
      history(connection, request);
    } else if (message instanceof MembersRequest request) {
      members(connection, request);
    } else if (message instanceof Invalid invalid) {
      reply(connection, new ErrorFrame(invalid.code(), invalid.detail(), invalid.cid()));
    }
    return true;
  }

  /**
   * Removes the member, unless a newer connection took its nick, and tells the others. Runs when
   * the container reports the close and when Parley drops the connection itself; the second call
   * finds the member gone and does nothing.
   */
  public void close(ChatConnection connection, CloseReason reason) {
    leases.end(connection);
    Member member = connection.member();
    registry.removeChat(member.outbox());
    boolean removed = hub.leave(connection.room(), member);
    if (!removed) {
      return;
    }
    LOG.log(
        Level.DEBUG,
        "{0} left room {1} from {2} (session {3}, close {4})",
        member.name(),
        connection.room(),
        member.outbox().peer().address(),
        member.outbox().peer().id(),
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
          .record(() -> hub.say(connection.room(), connection.member(), say.text(), say.cid()));
    } catch (BrokerUnavailableException e) {
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
      delivered =
          hub.whisper(
              connection.room(), connection.member(), whisper.to(), whisper.text(), whisper.cid());
    } catch (BrokerUnavailableException e) {
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
      hub.typing(connection.room(), connection.member());
    } catch (BrokerUnavailableException e) {
      LOG.log(Level.DEBUG, "Typing notice not relayed in room {0}: {1}", connection.room(), e);
    }
  }

  private void history(ChatConnection connection, HistoryRequest request) {
    try {
      List<ChatMessage> page = hub.before(connection.room(), request.before(), request.limit());
      reply(connection, new HistoryPage(page));
    } catch (BrokerUnavailableException e) {
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.UNAVAILABLE, "History is unavailable for a moment; ask again", null));
    }
  }

  private void members(ChatConnection connection, MembersRequest request) {
    try {
      Roster page = hub.members(connection.room(), request.after(), request.limit());
      reply(connection, new MembersPage(page.names(), page.count()));
    } catch (BrokerUnavailableException e) {
      reply(
          connection,
          new ErrorFrame(
              ErrorCode.UNAVAILABLE,
              "The member list is unavailable for a moment; ask again",
              null));
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

  private static String cidOf(ClientMessage message) {
    if (message instanceof Say say) {
      return say.cid();
    }
    if (message instanceof Whisper whisper) {
      return whisper.cid();
    }
    return null;
  }
}
