package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Broadcasts reach every member exactly once, in id order, even with many concurrent senders. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BroadcastIT {

  private static final int SENDERS = 8;
  private static final int MESSAGES_PER_SENDER = 200;

  @Deployment(testable = false)
  static WebArchive deployment() {
    // these senders deliberately go as fast as they can: lift the per-connection rate
    // The whole burst (8 x 200) may queue behind a container that sends slower than the room takes
    // messages (Tomcat on a busy machine closed a reading member with 1013): the slow-consumer
    // limit is SlowConsumerIT's subject, not this test's.
    return Deployments.war(
        Map.of(
            "parley.ratePerSecond", "100000",
            "parley.rateBurst", "100000",
            "parley.maxQueuedMessages", "5000"));
  }

  @ArquillianResource URL base;

  @Test
  void fiftyMembersReceiveOneBroadcastExactlyOnce() {
    String room = Rooms.fresh("broadcast");
    List<Joined> members = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        members.add(TestClient.join(base, room, "member" + i));
      }
      members.get(0).client().send(say("to all fifty"));
      for (Joined member : members) {
        assertEquals("to all fifty", member.client().next("message").getString("text"));
      }
      members.get(1).client().send(say("marker"));
      for (Joined member : members) {
        assertEquals("marker", member.client().next("message").getString("text"), "no repeat");
      }
    } finally {
      members.forEach(Joined::close);
    }
  }

  @Test
  void concurrentSendersAreSeenByEveryMemberExactlyOnceInIdOrder() throws Exception {
    String room = Rooms.fresh("broadcast");
    List<Joined> senders = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    try {
      for (int i = 0; i < SENDERS; i++) {
        senders.add(TestClient.join(base, room, "sender" + i));
      }
      List<Future<?>> sending = new ArrayList<>();
      for (Joined sender : senders) {
        String name = sender.welcome().getString("name");
        sending.add(
            pool.submit(
                () -> {
                  for (int m = 0; m < MESSAGES_PER_SENDER; m++) {
                    sender.client().send(say(name + ":" + m));
                  }
                }));
      }
      for (Future<?> done : sending) {
        done.get(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      int total = SENDERS * MESSAGES_PER_SENDER;
      for (Joined member : senders) {
        Set<String> texts = new HashSet<>();
        long previousId = 0;
        for (int i = 0; i < total; i++) {
          JsonObject message;
          try {
            message = member.client().next("message");
          } catch (AssertionError stalled) {
            ThreadDump.print("BroadcastIT: a member stopped receiving");
            throw new AssertionError(
                member.welcome().getString("name") + " stopped after " + i + " messages", stalled);
          }
          long id = message.getJsonNumber("id").longValue();
          assertTrue(id > previousId, "ids increase: " + previousId + " then " + id);
          previousId = id;
          assertTrue(texts.add(message.getString("text")), "delivered once: " + message);
        }
        assertEquals(total, texts.size());
        assertEquals(total, previousId, "no id skipped");
      }
    } finally {
      pool.shutdownNow();
      senders.forEach(Joined::close);
    }
  }
}
