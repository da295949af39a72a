package dev.parley.stream;

import dev.parley.chat.ChatConnection;
import dev.parley.chat.ChatProtocol;
import dev.parley.chat.ClientMessageDecoder;
import dev.parley.hub.Broker;
import dev.parley.hub.Hub;
import dev.parley.hub.Member;
import dev.parley.message.ErrorCode;
import dev.parley.message.ServerMessage.ErrorFrame;
import dev.parley.message.ServerMessageEncoder;
import dev.parley.session.DaemonThreads;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * POSTs that land on another node than their event stream (no sticky sessions needed): the node
 * that took the POST has the broker publish the frame to the stream's node, which handles it there
 * as if it had been POSTed to it, one relayed frame at a time and in the order they came.
 */
@ApplicationScoped
public class PostRelay {

  private static final System.Logger LOG = System.getLogger(PostRelay.class.getName());

  /** Relayed frames waiting for this node's relay thread; more are refused (told on the stream). */
  static final int MAX_WAITING = 1000;

  static final String BUSY = "This server has too many frames to handle; this one was dropped";

  private final Broker broker;
  private final Hub hub;
  private final StreamMembers members;
  private final ChatProtocol chat;
  private final ServerMessageEncoder encoder = new ServerMessageEncoder();
  private ThreadPoolExecutor thread;

  @Inject
  public PostRelay(Broker broker, Hub hub, StreamMembers members, ChatProtocol chat) {
    this.broker = broker;
    this.hub = hub;
    this.members = members;
    this.chat = chat;
  }

  /** For CDI's client proxy only. */
  protected PostRelay() {
    this(null, null, null, null);
  }

  /** From now on, frames relayed to this node's stream members are handled. */
  synchronized void start() {
    if (thread != null) {
      return;
    }
    thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING),
            DaemonThreads.named("parley-stream-relay"));
    hub.onRelayed(this::received);
  }

  /**
   * Passes a frame POSTed here for a stream that this node does not hold; false when no member of
   * the room holds the token on any node.
   *
   * @throws dev.parley.hub.BrokerUnavailableException when the broker cannot be reached
   */
  boolean forward(String room, String token, String frame) {
    return broker.relay(room, token, frame);
  }

  /** On the broker's event thread: hands the frame to the relay thread, never waiting. */
  private void received(Member member, String frame) {
    ChatConnection connection = members.find(member.token());
    if (connection == null || connection.member() != member) {
      return; // a WebSocket member with that token, or a stream that ended meanwhile
    }
    ThreadPoolExecutor relay = thread;
    if (relay == null || relay.isShutdown()) {
      return;
    }
    try {
      relay.execute(() -> chat.handle(connection, new ClientMessageDecoder().decode(frame)));
    } catch (RejectedExecutionException full) {
      LOG.log(
          Level.WARNING, "Relayed frame for {0} dropped: {1} waiting", member.name(), MAX_WAITING);
      member.outbox().offer(encoder.encode(new ErrorFrame(ErrorCode.RATE_LIMITED, BUSY, null)));
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
