package dev.parley.cluster;

import dev.parley.config.Settings;
import dev.parley.hub.Broker;
import dev.parley.hub.MemoryBroker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * Chooses the broker at the application's edge: memory for a single node, or Redis when {@code
 * parley.redisUri} is set. Only the chosen one is created, so a single node never loads or connects
 * the Redis client. Undeploying waits for the broker's threads and connections to end.
 */
@ApplicationScoped
public class BrokerProducer {

  @Produces
  @ApplicationScoped
  Broker broker(Settings settings) {
    String redisUri = settings.text(RedisBroker.SETTING);
    if (redisUri == null || redisUri.isBlank()) {
      return new MemoryBroker(settings, Clock.systemUTC());
    }
    return new RedisBroker(settings);
  }

  void close(@Disposes Broker broker) {
    broker.close();
  }
}
