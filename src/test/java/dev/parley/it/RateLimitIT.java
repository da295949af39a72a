package dev.parley.it;

import static dev.parley.it.Frames.say;
import static dev.parley.it.Frames.typing;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Frames beyond a connection's rate get {@code rate-limited}; a connection that keeps pushing is
 * closed with 1008. The bucket here never refills, so the outcome does not depend on timing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RateLimitIT {

  private static final int BURST = 3;
  private static final int STRIKES = 4;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "parley.ratePerSecond", "0",
            "parley.rateBurst", String.valueOf(BURST),
            "parley.rateStrikes", String.valueOf(STRIKES)));
  }

  @ArquillianResource URL base;

  @Test
  void framesBeyondTheBurstAreRateLimitedAndTheConnectionStaysOpen() {
    String room = Rooms.fresh("rate");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      for (int i = 0; i < BURST; i++) {
        alice.client().send(say("m" + i));
        alice.client().next("message");
      }
      alice.client().send(say("one too many", "c-4"));
      JsonObject error = alice.client().next();
      assertEquals("rate-limited", error.getString("code"));
      assertEquals("c-4", error.getString("cid"));
      bob.client().send(say("bob is not limited by alice"));
      assertEquals("bob is not limited by alice", alice.client().next("message").getString("text"));
    }
  }

  @Test
  void typingCountsAgainstTheRateToo() {
    try (Joined alice = TestClient.join(base, Rooms.fresh("rate"), "alice")) {
      for (int i = 0; i < BURST; i++) {
        alice.client().send(typing());
      }
      alice.client().send(say("limited"));
      assertEquals("rate-limited", alice.client().next().getString("code"));
    }
  }

  @Test
  void aConnectionThatKeepsPushingIsClosedWith1008() {
    String room = Rooms.fresh("rate");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      for (int i = 0; i < BURST + STRIKES; i++) {
        alice.client().send(typing());
      }
      assertEquals(1008, alice.client().awaitCloseCode());
      bob.client().awaitLeft("alice");
    }
  }
}
