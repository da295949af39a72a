package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.cluster.LocalRedis;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Undeploying must not leave threads behind: closing the Redis broker waits for all of them. */
class RedisBrokerShutdownTest {

  @Test
  void closingWaitsForEveryThreadOfTheBroker() {
    try (LocalRedis server = LocalRedis.start()) {
      // other tests' Redis clients may still be stopping: only this broker's threads count
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      Broker broker = RedisBrokerTest.redisBroker(server.uri(), 10);
      broker.listen(new RecordingListener());
      broker.epoch("any"); // connects both connections
      broker.close();
      assertEquals(List.of(), brokerThreadsStartedSince(before));
    }
  }

  private static List<String> brokerThreadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread))
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("lettuce-") || name.startsWith("parley-"))
        .toList();
  }
}
