package dev.parley.hub;

import dev.parley.cluster.LocalRedis;
import dev.parley.cluster.RedisBroker;
import dev.parley.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract through a real redis-server. */
class RedisBrokerTest extends BrokerContract {

  private static LocalRedis server;

  @BeforeAll
  static void startRedis() {
    server = LocalRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @Override
  Broker newBroker() {
    return redisBroker(server.uri(), HISTORY_SIZE);
  }

  static Broker redisBroker(String uri, int historySize) {
    return new RedisBroker(
        Settings.forContext(
            name ->
                switch (name) {
                  case "parley.redisUri" -> uri;
                  case "parley.historySize" -> String.valueOf(historySize);
                  default -> null;
                }));
  }
}
