package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code say} sent again with the same {@code cid} (a client that never saw its message come
 * back) is not numbered again: its sender gets the original message, nobody else gets anything.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IdempotentSayIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void aCidSentTwiceIsNumberedOnceAndOnlyTheSenderHearsItAgain() {
    String room = Rooms.fresh("cid");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      alice.client().send(say("hello", "c-1"));
      JsonObject first = alice.client().next("message");
      assertEquals(first, bob.client().next("message"));
      alice.client().send(say("hello", "c-1"));
      assertEquals(first, alice.client().next("message"), "the original, same id");
      alice.client().send(say("next", "c-2"));
      JsonObject next = bob.client().next("message");
      assertEquals("next", next.getString("text"), "bob got nothing in between");
      assertEquals(id(first) + 1, id(next), "nothing was numbered in between");
    }
  }

  @Test
  void aCidIsRecognisedAfterAReconnectWithTheToken() {
    String room = Rooms.fresh("cid");
    try (Joined bob = TestClient.join(base, room, "bob")) {
      Joined alice = TestClient.join(base, room, "alice");
      String token = alice.welcome().getString("token");
      alice.client().send(say("before the drop", "c-9"));
      JsonObject original = bob.client().next("message");
      alice.client().abort(); // a phone losing its network: no close frame
      try (Joined back = TestClient.join(base, room, "alice", "&token=" + token)) {
        back.client().send(say("before the drop", "c-9"));
        assertEquals(original, back.client().next("message"));
        back.client().send(say("after", "c-10"));
        assertEquals(id(original) + 1, id(bob.client().next("message")));
      }
    }
  }

  @Test
  void anotherMemberMayUseTheSameCid() {
    String room = Rooms.fresh("cid");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      alice.client().send(say("from alice", "same"));
      long first = id(bob.client().next("message"));
      alice.client().next("message"); // her own
      bob.client().send(say("from bob", "same"));
      assertEquals(first + 1, id(alice.client().next("message")));
    }
  }

  private static long id(JsonObject message) {
    return message.getJsonNumber("id").longValue();
  }
}
