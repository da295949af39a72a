package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random and mutated frames over a real connection: each gets a valid reply or a documented error,
 * the connection stays open, and the room goes on working. Seeded, so a failure can be replayed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatFuzzIT {

  private static final long SEED = 20261126L;
  private static final int FRAMES = 400;
  private static final Set<String> ERROR_CODES =
      Set.of(
          "bad-json",
          "unknown-type",
          "missing-field",
          "invalid-field",
          "too-long",
          "no-such-member");
  private static final String[] SEEDS = {
    "{\"type\":\"say\",\"text\":\"hello\",\"cid\":\"c1\"}",
    "{\"type\":\"whisper\",\"to\":\"fuzzer\",\"text\":\"psst\"}",
    "{\"type\":\"history\",\"before\":10,\"limit\":5}",
  };

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.ratePerSecond", "100000", "parley.rateBurst", "100000"));
  }

  @ArquillianResource URL base;

  @Test
  void randomAndMutatedFramesNeverCloseTheConnection() {
    Random random = new Random(SEED);
    try (Joined fuzzer = TestClient.join(base, "fuzz", "fuzzer")) {
      for (int i = 0; i < FRAMES; i++) {
        String frame = random.nextBoolean() ? mutate(random) : noise(random);
        fuzzer.client().sendText(frame);
        // one reply per frame: a message, a whisper (to self), a history page, or an error
        JsonObject reply = fuzzer.client().next();
        String type = reply.getString("type");
        assertTrue(
            Set.of("message", "whisper", "history", "error").contains(type),
            () -> "frame " + frame + " got " + reply);
        if (type.equals("error")) {
          assertTrue(ERROR_CODES.contains(reply.getString("code")), reply::toString);
        }
      }
      fuzzer.client().send(Frames.say("still standing"));
      assertEquals("still standing", fuzzer.client().next("message").getString("text"));
    }
  }

  private static String mutate(Random random) {
    String frame = SEEDS[random.nextInt(SEEDS.length)];
    int at = random.nextInt(frame.length());
    return switch (random.nextInt(3)) {
      case 0 ->
          frame.substring(0, at) + "\"{}[]:,\\0x".charAt(random.nextInt(10)) + frame.substring(at);
      case 1 -> frame.substring(0, at) + frame.substring(at + 1);
      default -> frame.substring(0, at);
    };
  }

  private static String noise(Random random) {
    byte[] bytes = new byte[1 + random.nextInt(200)];
    random.nextBytes(bytes);
    String text = new String(bytes, StandardCharsets.UTF_8); // invalid bytes become U+FFFD
    return text.isEmpty() ? "?" : text;
  }
}
