package dev.parley.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
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
import java.util.function.BiConsumer;

/**
 * The two connections of a node to Redis: one for commands, shared by every thread, and one
 * subscribed to every room's events. Lettuce reconnects both by itself, with exponential backoff,
 * and subscribes again. While disconnected, commands fail at once rather than wait in a queue: a
 * {@code say} answered {@code unavailable} must not be carried out later behind the client's back.
 */
final class RedisLink implements AutoCloseable {

  /** How long a command may take before it counts as failed. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** Reconnect attempts back off exponentially up to this, so recovery is noticed soon. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisPubSubConnection<String, String> events;

  /**
   * Connects, and subscribes to the events of every room.
   *
   * @param onEvent called with the channel and the event, on a Lettuce thread that must not block
   * @param onSubscribed called each time the subscription is in place, at first and after every
   *     reconnect: events published while it was down never arrive, and must be read back
   */
  RedisLink(String uri, BiConsumer<String, String> onEvent, Runnable onSubscribed) {
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
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    try {
      commands = client.connect();
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
      close();
      throw e;
    }
  }

  RedisCommands<String, String> commands() {
    return commands.sync();
  }

  RedisAsyncCommands<String, String> async() {
    return commands.async();
  }

  @Override
  public void close() {
    client.shutdown();
    resources.shutdown();
  }
}
