package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.cluster.LocalRedis;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Undeploying must not leave threads behind: closing the Redis broker ends all of them. */
class RedisBrokerShutdownTest {

  @Test
  void closingEndsEveryThreadOfTheBroker() throws Exception {
    try (LocalRedis server = LocalRedis.start()) {
      // other tests' Redis clients may still be stopping: only this broker's threads count
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      Broker broker = RedisBrokerTest.redisBroker(server.uri(), 10);
      broker.listen(new RecordingListener());
      broker.epoch("any"); // connects both connections
      broker.close();
      for (Thread thread : brokerThreadsStartedSince(before)) {
        thread.join(10_000); // a pool marks itself terminated just before its thread returns
      }
      assertEquals(
          List.of(),
          brokerThreadsStartedSince(before).stream().map(Thread::getName).toList(),
          "threads of the closed broker still running");
    }
  }

  private static List<Thread> brokerThreadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread))
        .filter(Thread::isAlive)
        .filter(
            thread ->
                thread.getName().startsWith("lettuce-") || thread.getName().startsWith("parley-"))
        .toList();
  }
}
