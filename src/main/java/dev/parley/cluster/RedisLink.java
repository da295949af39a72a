package dev.parley.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The two connections of a node to Redis: one for commands, shared by every thread, and one
 * subscribed to every room's events. They are opened at the first use, and tried again at most
 * every {@link #CONNECT_RETRY} while Redis cannot be reached, so a node starts without Redis. Once
 * open, Lettuce reconnects both by itself, with exponential backoff, and subscribes again. While
 * disconnected, commands fail at once rather than wait in a queue: a {@code say} answered {@code
 * unavailable} must not be carried out later behind the client's back.
 */
final class RedisLink implements AutoCloseable {

  /** How long a command may take before it counts as failed. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** Reconnect attempts back off exponentially up to this, so recovery is noticed soon. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

  /** Until the first connection succeeds, attempts are this far apart. */
  static final Duration CONNECT_RETRY = Duration.ofSeconds(2);

  private final ClientResources resources;
  private final RedisClient client;
  private final BiConsumer<String, String> onEvent;
  private final Runnable onSubscribed;
  private volatile StatefulRedisConnection<String, String> commands;
  private StatefulRedisPubSubConnection<String, String> events;
  private long nextAttemptNanos = System.nanoTime();
  private final ReentrantLock connecting = new ReentrantLock();

  /**
   * Prepares the client; nothing is connected yet.
   *
   * @param onEvent called with the channel and the event, on a Lettuce thread that must not block
   * @param onSubscribed called each time the subscription is in place, at first and after every
   *     reconnect: events published while it was down never arrive, and must be read back
   */
  RedisLink(String uri, BiConsumer<String, String> onEvent, Runnable onSubscribed) {
    this.onEvent = onEvent;
    this.onSubscribed = onSubscribed;
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(COMMAND_TIMEOUT);
    resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2) // two connections
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(100), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .build();
    client = RedisClient.create(resources, redisUri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Never send a command again after a reconnect: a script whose reply was lost may
            // have run, and running it twice would number a message twice. The caller's timeout
            // answers the client `unavailable` instead.
            .replayFilter(command -> true)
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
            .build());
  }

  /**
   * Synchronous commands.
   *
   * @throws io.lettuce.core.RedisException when Redis cannot be reached
   */
  RedisCommands<String, String> commands() {
    return connection().sync();
  }

  /** Asynchronous commands, for what nobody waits on. */
  RedisAsyncCommands<String, String> async() {
    return connection().async();
  }

  private StatefulRedisConnection<String, String> connection() {
    StatefulRedisConnection<String, String> open = commands;
    return open != null ? open : connect();
  }

  /**
   * One thread connects at a time; the others fail at once rather than queue behind its timeouts (a
   * request thread must not wait longer than one command timeout).
   */
  private StatefulRedisConnection<String, String> connect() {
    if (!connecting.tryLock()) {
      throw new RedisConnectionException("Connecting to Redis");
    }
    try {
      return connectNow();
    } finally {
      connecting.unlock();
    }
  }

  private StatefulRedisConnection<String, String> connectNow() {
    if (commands != null) {
      return commands;
    }
    long now = System.nanoTime();
    if (now - nextAttemptNanos < 0) {
      throw new RedisConnectionException("Redis was out of reach a moment ago");
    }
    nextAttemptNanos = now + CONNECT_RETRY.toNanos();
    StatefulRedisConnection<String, String> connection = client.connect();
    try {
      events = client.connectPubSub();
      events.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
              onEvent.accept(channel, message);
            }

            @Override
            public void psubscribed(String pattern, long count) {
              onSubscribed.run();
            }
          });
      events.sync().psubscribe(Keys.EVENTS_PATTERN);
    } catch (RuntimeException e) {
      connection.close();
      if (events != null) {
        events.close();
        events = null;
      }
      throw e;
    }
    commands = connection;
    return connection;
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, COMMAND_TIMEOUT); // waits for the connections to close
    try {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(); // and for the event loop threads
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Redis client threads did not stop", e.getCause());
    }
  }
}
