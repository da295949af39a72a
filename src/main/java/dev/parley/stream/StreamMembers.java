package dev.parley.stream;

import dev.parley.chat.ChatConnection;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.session.DaemonTimer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chat members on event streams of this node, by token (a POST names its stream by it), and the
 * comment that every one of them gets each ping interval, so that proxies keep an idle stream open
 * and a client that went away is noticed at the latest then.
 */
@ApplicationScoped
public class StreamMembers {

  private static final System.Logger LOG = System.getLogger(StreamMembers.class.getName());

  private final Map<String, ChatConnection> byToken = new ConcurrentHashMap<>();
  // a POST reads its body on a container thread: one at a time per stream bounds what one takes
  private final Set<ChatConnection> posting = ConcurrentHashMap.newKeySet();
  private final Settings settings;
  private ScheduledExecutorService keepAlive;

  @Inject
  public StreamMembers(Settings settings) {
    this.settings = settings;
  }

  /** For CDI's client proxy only. */
  protected StreamMembers() {
    this(null);
  }

  void add(ChatConnection connection) {
    byToken.put(connection.member().token(), connection);
    startKeepAlive();
  }

  void remove(ChatConnection connection) {
    byToken.remove(connection.member().token(), connection);
  }

  /** Takes the one POST a stream may have in flight; false while another one is. */
  boolean startPost(ChatConnection connection) {
    return posting.add(connection);
  }

  void endPost(ChatConnection connection) {
    posting.remove(connection);
  }

  /** The stream member holding this token, or null. */
  ChatConnection find(String token) {
    return token == null ? null : byToken.get(token);
  }

  private synchronized void startKeepAlive() {
    if (keepAlive != null) {
      return;
    }
    long interval = settings.get(Setting.PING_INTERVAL_MILLIS);
    keepAlive = DaemonTimer.named("parley-stream-keep-alive");
    keepAlive.scheduleWithFixedDelay(this::keepAlive, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void keepAlive() {
    for (ChatConnection member : byToken.values()) {
      try {
        member.member().outbox().offer(EventStreamFormat.KEEP_ALIVE);
      } catch (RuntimeException e) { // one broken stream must not end the keep-alives of all
        LOG.log(Level.WARNING, "A keep-alive could not be queued", e);
      }
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (keepAlive != null) {
      keepAlive.shutdownNow();
    }
  }
}
