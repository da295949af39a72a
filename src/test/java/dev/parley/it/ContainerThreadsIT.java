package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whatever clients do with their own connections, the server keeps answering everyone else: no
 * client behaviour may hold the container's threads (docs/reliability.md, "Container threads").
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerThreadsIT {

  /** More connections than any server's request thread pool has threads in this repository. */
  private static final int MORE_THAN_THE_POOL = 80;

  /** A receive window that the server fills with a frame or two. */
  private static final int TINY_WINDOW = 4096;

  private static final String TEXT = "x".repeat(3990);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            // non-readers are closed within seconds, so that the test reaches that phase soon; a
            // reading member's queue stays far below it (at 100 messages a second, 2 s of them)
            "parley.maxQueuedMessages", "200",
            "parley.maxConnectionsPerAddress", "0",
            // members that chat are paced by their own echo, not by the rate limit
            "parley.ratePerSecond", "100000",
            "parley.rateBurst", "100000"));
  }

  @ArquillianResource URL base;

  @Test
  void handshakesThatSendFramesBeforeTheirAnswerAreAnsweredAndHoldNoThread() throws Exception {
    List<RawPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < MORE_THAN_THE_POOL; i++) {
        RawPeer peer = RawPeer.connect(base, 0);
        peers.add(peer);
        // a read timeout here is the thread the server lost to this peer
        int status = peer.handshake(base, "echo", RawPeer.textFrame("too early " + i));
        // GlassFish and Payara refuse it (their WebSocket layer would deadlock on it); Tomcat takes
        // the frame as the connection's first
        assertTrue(status == 400 || status == 101, "answered: " + status);
      }
      assertServing();
    } finally {
      peers.forEach(RawPeer::close);
    }
  }

  @Test
  void peersThatNeverReadAndKeepSendingAfterTheirCloseDoNotStopTheServer() throws Exception {
    String room = Rooms.fresh("deaf");
    double droppedBefore = Scrape.value(base, "parley_slow_consumers_dropped_total");
    List<RawPeer> deaf = new ArrayList<>();
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(8);
    try (Joined reader = TestClient.join(base, room, "reader")) {
      RawPeer silent = RawPeer.connect(base, TINY_WINDOW);
      deaf.add(silent);
      assertEquals(101, silent.handshake(base, "chat/" + room + "?name=silent"));
      for (int i = 0; i < 8; i++) {
        RawPeer sender = RawPeer.connect(base, TINY_WINDOW);
        deaf.add(sender);
        assertEquals(101, sender.handshake(base, "chat/" + room + "?name=deaf" + i));
        // about 16 a second each, 130 in all, as in the scenario that froze the server
        senders.scheduleAtFixedRate(() -> sayOnce(sender), 0, 60, TimeUnit.MILLISECONDS);
      }
      // the deaf members are closed with 1013 while they go on sending; the reader chats on
      int tick = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Scrape.value(base, "parley_slow_consumers_dropped_total") - droppedBefore < deaf.size()
          && System.nanoTime() < deadline) {
        chatAndCheckHealth(reader, ++tick);
      }
      assertEquals(
          deaf.size(),
          Scrape.value(base, "parley_slow_consumers_dropped_total") - droppedBefore,
          "every deaf member was closed as a slow consumer");
      // ... and the server goes on serving while they keep sending into their closed connections
      long after = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < after) {
        chatAndCheckHealth(reader, ++tick);
      }
      assertServing();
      // every connection the server gave up on is really closed: no thread or socket kept for it
      senders.shutdownNow();
      for (RawPeer peer : deaf) {
        peer.awaitEnd();
      }
    } finally {
      senders.shutdownNow();
      deaf.forEach(RawPeer::close);
    }
  }

  @Test
  void thirtyNonReadersInABusyRoomDoNotKeepNewMembersOut() throws Exception {
    String room = Rooms.fresh("busy");
    List<RawPeer> stalled = new ArrayList<>();
    ScheduledExecutorService sending = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger said = new AtomicInteger();
    try (Joined sender = TestClient.join(base, room, "sender")) {
      for (int i = 0; i < 30; i++) {
        RawPeer peer = RawPeer.connect(base, TINY_WINDOW);
        stalled.add(peer);
        assertEquals(101, peer.handshake(base, "chat/" + room + "?name=stalled" + i));
      }
      // a busy room: 100 messages of 4 KB a second (a flood as fast as the server echoes would
      // outrun a newcomer's welcome still being written, and make the newcomer a slow consumer too)
      sending.scheduleAtFixedRate(
          () -> sender.client().send(say(said.incrementAndGet() + " " + TEXT)),
          0,
          10,
          TimeUnit.MILLISECONDS);
      for (int i = 0; i < 20; i++) {
        try (Joined newcomer = TestClient.join(base, room, "newcomer" + i)) {
          newcomer.client().send(say("hello " + i));
          awaitOwnMessage(newcomer, "newcomer" + i, "hello " + i);
        } catch (AssertionError noAnswer) {
          ThreadDump.print("ContainerThreadsIT: newcomer" + i + " got no answer");
          throw noAnswer;
        }
        assertEquals(200, Scrape.get(base, "health").statusCode());
      }
      assertServing();
    } finally {
      sending.shutdownNow();
      stalled.forEach(RawPeer::close);
    }
  }

  /** Says one 4 KB message; a connection that fails ends the schedule (by throwing). */
  private static void sayOnce(RawPeer peer) {
    try {
      peer.sendText(say(TEXT).toString());
    } catch (IOException connectionGone) {
      throw new UncheckedIOException(connectionGone);
    }
  }

  /** {@code /health} answers, and the reader's message comes back to it. */
  private void chatAndCheckHealth(Joined reader, int tick) throws Exception {
    assertEquals(200, Scrape.get(base, "health").statusCode());
    reader.client().send(say("tick " + tick));
    awaitOwnMessage(reader, "reader", "tick " + tick);
  }

  /** Waits for {@code nick}'s own message to come back, past the others' traffic. */
  private static void awaitOwnMessage(Joined member, String nick, String text) {
    while (true) {
      JsonObject message = member.client().next("message");
      if (message.getString("from").equals(nick) && message.getString("text").equals(text)) {
        return;
      }
    }
  }

  /** A new client gets its echo and {@code /health} answers. */
  private void assertServing() throws Exception {
    assertEquals(200, Scrape.get(base, "health").statusCode());
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText("still here");
      assertEquals("still here", echo.nextText());
    }
  }
}
