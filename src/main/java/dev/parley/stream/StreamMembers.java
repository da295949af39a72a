package dev.parley.stream;

import dev.parley.chat.ChatConnection;
import dev.parley.config.Setting;
import dev.parley.config.Settings;
import dev.parley.session.DaemonTimer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
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

  private final Map<String, ChatConnection> byToken = new ConcurrentHashMap<>();
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
    keepAlive.scheduleWithFixedDelay(
        () ->
            byToken
                .values()
                .forEach(member -> member.member().outbox().offer(EventStreamFormat.KEEP_ALIVE)),
        interval,
        interval,
        TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  synchronized void stop() {
    if (keepAlive != null) {
      keepAlive.shutdownNow();
    }
  }
}
