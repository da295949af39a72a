package dev.parley.session;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Who is connected: the echo and chat sessions, and how many come from each address. Shared by
 * every endpoint; the chat rooms themselves are the hub's.
 */
@ApplicationScoped
public class SessionRegistry {

  /** Reason sent with 1001 to every client when the application stops. */
  public static final String GOING_AWAY = "Server shutting down; reconnect to resume";

  private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

  private final Set<Session> echoSessions = ConcurrentHashMap.newKeySet();
  private final Set<Outbox> chatOutboxes = ConcurrentHashMap.newKeySet();
  private final Set<Session> feedSessions = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, Integer> connectionsPerAddress = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor closes = CloseThreads.named("parley-closes");

  /** Reason sent with 1013 when one address holds too many connections. */
  public static final String TOO_MANY_FROM_ADDRESS = "Too many connections from your address";

  private static final String ADDRESS_SLOT = "parley.addressSlot";

  /**
   * Counts a new connection against its remote address. Over {@code max} (0: no limit), closes it
   * with 1013 and returns false. Every claim is given back by {@link #releaseAddressSlot}.
   */
  public boolean claimAddressSlot(Session session, String address, int max) {
    if (!claimAddress(address, max)) {
      Sessions.close(
          session, new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, TOO_MANY_FROM_ADDRESS));
      return false;
    }
    session.getUserProperties().put(ADDRESS_SLOT, address);
    return true;
  }

  /** Gives back the slot a connection claimed, once; nothing if it claimed none. */
  public void releaseAddressSlot(Session session) {
    Object address = session.getUserProperties().remove(ADDRESS_SLOT);
    if (address instanceof String claimed) {
      releaseAddress(claimed);
    }
  }

  /**
   * Counts a connection of any transport against its address; false, counting nothing, over {@code
   * max} (0: no limit). A true is given back once by {@link #releaseAddress}.
   */
  public boolean claimAddress(String address, int max) {
    int count = connectionsPerAddress.merge(address, 1, Integer::sum);
    if (max > 0 && count > max) {
      releaseAddress(address);
      return false;
    }
    return true;
  }

  public void releaseAddress(String address) {
    connectionsPerAddress.computeIfPresent(address, (key, n) -> n == 1 ? null : n - 1);
  }

  public void addEcho(Session session) {
    echoSessions.add(session);
  }

  public void removeEcho(Session session) {
    echoSessions.remove(session);
  }

  public int echoSessionCount() {
    return echoSessions.size();
  }

  /** A subscriber of a server-push feed ({@code /feed/metrics}). */
  public void addFeed(Session session) {
    feedSessions.add(session);
  }

  public void removeFeed(Session session) {
    feedSessions.remove(session);
  }

  public int feedSessionCount() {
    return feedSessions.size();
  }

  /** A chat connection was admitted to its room. */
  public void addChat(Outbox outbox) {
    chatOutboxes.add(outbox);
  }

  public void removeChat(Outbox outbox) {
    chatOutboxes.remove(outbox);
  }

  /** Chat connections by what carries them. */
  public record ChatConnections(int webSocket, int eventStream) {}

  /** Chat connections now, counted in one pass. */
  public ChatConnections chatConnections() {
    int webSocket = 0;
    int eventStream = 0;
    for (Outbox outbox : chatOutboxes) {
      if (outbox.peer() instanceof WebSocketPeer) {
        webSocket++;
      } else {
        eventStream++;
      }
    }
    return new ChatConnections(webSocket, eventStream);
  }

  /** The outboxes of every chat connection, whatever carries it. */
  public List<Outbox> chatOutboxes() {
    return List.copyOf(chatOutboxes);
  }

  /**
   * Closes every connection with 1001, so that clients know to reconnect rather than seeing the
   * connection die. Called when the application stops (shutdown or undeploy).
   */
  public void closeAll() {
    List<Session> echoes = new ArrayList<>(echoSessions);
    echoes.addAll(feedSessions);
    List<Outbox> chats = chatOutboxes();
    LOG.log(
        System.Logger.Level.INFO,
        "Closing {0} connections: the application stops",
        echoes.size() + chats.size());
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, GOING_AWAY);
    echoes.forEach(session -> Sessions.close(session, reason));
    chats.forEach(outbox -> outbox.peer().close(reason));
  }

  /** Where connections are closed and their members leave, off the caller's thread. */
  public Executor closes() {
    return closes;
  }

  /** The closes under way end on their own threads, which are daemons and time out when idle. */
  @PreDestroy
  void stop() {
    closes.shutdown();
  }

  /** Every WebSocket session: echo and feed sessions, and chat members on a WebSocket. */
  public List<Session> openSessions() {
    List<Session> open = new ArrayList<>(echoSessions);
    open.addAll(feedSessions);
    for (Outbox outbox : chatOutboxes) {
      if (outbox.peer() instanceof WebSocketPeer webSocket) {
        open.add(webSocket.session());
      }
    }
    return open;
  }
}
