package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.hub.BrokerEvent;
import dev.parley.hub.BrokerListener;
import dev.parley.hub.Member;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Events wait in a bounded queue; a room whose events were dropped reads back what it missed. */
class EventInboxTest {

  private static final String TYPING = "{\"kind\":\"typing\",\"name\":\"ada\"}";

  private final CountDownLatch released = new CountDownLatch(1);
  private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
  private final EventInbox inbox = new EventInbox(new RedisJson(), 2);

  @AfterEach
  void stop() {
    released.countDown();
    inbox.close();
  }

  @Test
  void aRoomWhoseEventsWereDroppedCatchesUpBeforeTheNextEventAndNoOtherRoomDoes() throws Exception {
    inbox.listen(new Listener());
    inbox.received(Keys.events("slow"), TYPING); // taken by the thread, which then waits
    assertEquals("event slow", calls.poll(10, TimeUnit.SECONDS));
    inbox.received(Keys.events("a"), TYPING);
    inbox.received(Keys.events("b"), TYPING); // the queue (2) is full now
    inbox.received(Keys.events("lost"), TYPING); // dropped
    released.countDown();
    assertEquals("catch up lost", calls.poll(10, TimeUnit.SECONDS));
    assertEquals("event a", calls.poll(10, TimeUnit.SECONDS));
    assertEquals("event b", calls.poll(10, TimeUnit.SECONDS));
    inbox.received(Keys.events("c"), TYPING);
    assertEquals("event c", calls.poll(10, TimeUnit.SECONDS), "caught up once only");
    assertTrue(calls.isEmpty());
  }

  /** Records what the inbox hands over; the first event holds the thread until released. */
  private final class Listener implements BrokerListener {
    @Override
    public void event(String room, BrokerEvent event) {
      calls.add("event " + room);
      try {
        released.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public boolean catchUp(String room) {
      calls.add("catch up " + room);
      return true;
    }

    @Override
    public boolean catchUp() {
      return true;
    }

    @Override
    public void reset(String room, String reason) {}

    @Override
    public void replaced(String room, Member member) {}

    @Override
    public void roomFull(String room, Member member) {}

    @Override
    public List<LocalRoom> localMembers() {
      return List.of();
    }
  }
}
