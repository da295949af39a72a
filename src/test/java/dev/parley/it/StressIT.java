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

/**
 * 200 clients in 20 rooms say 10,000 messages at once: every accepted message reaches every member
 * of its room exactly once, in id order. Bounded in count; asserted, not timed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StressIT {

  private static final int ROOMS = 20;
  private static final int MEMBERS_PER_ROOM = 10;
  private static final int MESSAGES_PER_MEMBER = 50; // 200 clients x 50 = 10,000 messages

  @Deployment(testable = false)
  static WebArchive deployment() {
    // 200 clients from one address, each as fast as it can
    return Deployments.war(
        Map.of(
            "parley.ratePerSecond", "100000",
            "parley.rateBurst", "100000",
            "parley.maxConnectionsPerAddress", "0"));
  }

  @ArquillianResource URL base;

  @Test
  void everyMessageReachesEveryMemberOfItsRoomExactlyOnceInIdOrder() throws Exception {
    List<List<Joined>> rooms = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int r = 0; r < ROOMS; r++) {
        List<Joined> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS_PER_ROOM; m++) {
          members.add(TestClient.join(base, "stress-" + r, "m" + m));
        }
        rooms.add(members);
      }
      double receivedBefore = Scrape.value(base, Scrape.CHAT_RECEIVED);
      List<Future<?>> senders = new ArrayList<>();
      for (List<Joined> members : rooms) {
        for (Joined member : members) {
          String name = member.welcome().getString("name");
          senders.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < MESSAGES_PER_MEMBER; i++) {
                      member.client().send(say(name + "#" + i));
                    }
                  }));
        }
      }
      for (Future<?> sender : senders) {
        sender.get(60, TimeUnit.SECONDS);
      }
      int perRoom = MEMBERS_PER_ROOM * MESSAGES_PER_MEMBER;
      for (List<Joined> members : rooms) {
        for (Joined member : members) {
          Set<String> seen = new HashSet<>();
          long previousId = 0;
          for (int i = 0; i < perRoom; i++) {
            JsonObject message = member.client().next("message");
            long id = message.getJsonNumber("id").longValue();
            assertEquals(previousId + 1, id, "ids in order, none missing");
            previousId = id;
            assertTrue(seen.add(message.getString("text")), "exactly once: " + message);
          }
        }
      }
      int total = ROOMS * MEMBERS_PER_ROOM * MESSAGES_PER_MEMBER;
      assertTrue(
          Scrape.value(base, Scrape.CHAT_RECEIVED) >= receivedBefore + total,
          "/metrics counted the 10,000 messages");
    } finally {
      pool.shutdownNow();
      rooms.forEach(members -> members.forEach(Joined::close));
    }
  }
}
