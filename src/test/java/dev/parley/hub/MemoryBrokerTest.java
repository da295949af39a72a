package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.parley.config.Setting;
import dev.parley.config.Settings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The broker contract in memory, and what only the memory broker does. */
class MemoryBrokerTest extends BrokerContract {

  private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(millis.get());
        }
      };

  @Override
  Broker newBroker() {
    return new MemoryBroker(
        Settings.of(Map.of(Setting.HISTORY_SIZE, (long) HISTORY_SIZE, Setting.MAX_ROOMS, 2L)),
        clock);
  }

  @Test
  void aCidIsForgottenAfterFiveMinutes() {
    Broker broker = newBroker();
    broker.listen(new RecordingListener());
    Member alice = joined(broker, "r", "alice");
    broker.say("r", alice, "hello", "c1");
    millis.addAndGet(Broker.CID_MEMORY_MILLIS - 1);
    assertInstanceOf(Said.Duplicate.class, broker.say("r", alice, "hello", "c1"));
    millis.addAndGet(1);
    assertInstanceOf(Said.Accepted.class, broker.say("r", alice, "hello", "c1"));
  }

  @Test
  void forgetsTheLeastRecentlyUsedEmptyRoomBeyondTheLimitUnderANewEpoch() {
    Broker broker = newBroker();
    broker.listen(new RecordingListener());
    Member alice = joined(broker, "a", "alice");
    broker.say("a", alice, "x", null);
    broker.leave("a", alice);
    String firstEpoch = broker.epoch("a");
    broker.epoch("b");
    broker.epoch("c"); // a is the least recently used of three, with a limit of two
    assertNotEquals(firstEpoch, broker.epoch("a"));
  }

  @Test
  void neverForgetsARoomWithMembers() {
    Broker broker = newBroker();
    broker.listen(new RecordingListener());
    Member alice = joined(broker, "a", "alice");
    broker.say("a", alice, "x", null);
    String epoch = broker.epoch("a");
    broker.epoch("b");
    broker.epoch("c");
    broker.epoch("d");
    assertEquals(epoch, broker.epoch("a"));
    assertEquals(1, broker.after("a", 0).size());
  }

  private static Member joined(Broker broker, String room, String name) {
    Member member = member(name);
    assertInstanceOf(
        Claim.Admitted.class,
        broker.join(room, new JoinRequest(member, null, 10, null, null, 10, 10)));
    return member;
  }
}
