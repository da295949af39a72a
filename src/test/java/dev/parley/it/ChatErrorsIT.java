package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A frame the server cannot accept gets an {@code error} frame with a stable code, and the
 * connection stays open: the next good frame still works.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatErrorsIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @ParameterizedTest(name = "{1} for {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "not json at all                                   | bad-json",
        "{\"type\":\"say\",\"text\":\"unterminated          | bad-json",
        "[1,2,3]                                           | bad-json",
        "`\"just a string\"`                               | bad-json",
        "{\"text\":\"no type\"}                            | missing-field",
        "{\"type\":\"shout\",\"text\":\"hi\"}              | unknown-type",
        "{\"type\":\"say\"}                                | missing-field",
        "{\"type\":\"say\",\"text\":42}                    | invalid-field",
        "{\"type\":\"say\",\"text\":\"   \"}               | invalid-field",
        "{\"type\":\"say\",\"text\":\"hi\",\"cid\":7}      | invalid-field",
        "{\"type\":\"whisper\",\"text\":\"hi\"}            | missing-field",
        "{\"type\":\"whisper\",\"to\":\"nobody\",\"text\":\"hi\"} | no-such-member",
        "{\"type\":\"history\",\"before\":\"ten\"}         | invalid-field",
        "{\"type\":\"history\",\"limit\":0}                | invalid-field",
        "{\"type\":\"history\",\"limit\":101}              | invalid-field",
        "{\"type\":\"history\",\"before\":1.5}             | invalid-field",
      })
  void aBadFrameGetsAnErrorAndTheConnectionStaysOpen(String frame, String code) {
    try (Joined alice = TestClient.join(base, Rooms.fresh("errors"), "alice")) {
      alice.client().sendText(frame.strip());
      JsonObject error = alice.client().next();
      assertEquals("error", error.getString("type"), () -> "for " + frame + ": " + error);
      assertEquals(code, error.getString("code"));
      assertFalse(error.getString("message").isBlank());
      assertStillServed(alice);
    }
  }

  @Test
  void aTextOverTheLimitIsTooLong() {
    try (Joined alice = TestClient.join(base, Rooms.fresh("errors"), "alice")) {
      alice.client().send(say("x".repeat(4001), "long-1"));
      JsonObject error = alice.client().next();
      assertEquals("too-long", error.getString("code"));
      assertEquals("long-1", error.getString("cid"), "the error answers the frame's cid");
      assertStillServed(alice);
    }
  }

  @Test
  void aTextOfExactlyTheLimitIsAccepted() {
    try (Joined alice = TestClient.join(base, Rooms.fresh("errors"), "alice")) {
      alice.client().send(say("x".repeat(4000)));
      assertEquals(4000, alice.client().next("message").getString("text").length());
    }
  }

  @Test
  void anUnknownTypeKeepsTheFramesCid() {
    try (Joined alice = TestClient.join(base, Rooms.fresh("errors"), "alice")) {
      alice.client().sendText("{\"type\":\"dance\",\"cid\":\"c-9\"}");
      JsonObject error = alice.client().next();
      assertEquals("unknown-type", error.getString("code"));
      assertEquals("c-9", error.getString("cid"));
    }
  }

  @Test
  void aBadFrameDoesNotDisturbTheOthers() {
    String room = Rooms.fresh("errors");
    try (Joined alice = TestClient.join(base, room, "alice");
        Joined bob = TestClient.join(base, room, "bob")) {
      bob.client().sendText("{{{");
      assertEquals("bad-json", bob.client().next().getString("code"));
      alice.client().send(say("fine here"));
      assertEquals("fine here", bob.client().next("message").getString("text"));
    }
  }

  private static void assertStillServed(Joined member) {
    member.client().send(say("still here"));
    assertEquals("still here", member.client().next("message").getString("text"));
  }
}
