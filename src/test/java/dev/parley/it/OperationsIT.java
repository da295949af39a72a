package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /health} and {@code /metrics} tell an operator what the server is doing. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperationsIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void healthSaysUpAndCountsOpenSessions() throws Exception {
    String room = Rooms.fresh("ops");
    try (Joined ada = TestClient.join(base, room, "ada");
        TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText("ping");
      echo.nextText();
      HttpResponse<String> response = get("health");
      assertEquals(200, response.statusCode());
      assertTrue(
          response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
      assertEquals("UP", health.getString("status"));
      assertTrue(health.getJsonObject("sessions").getInt("chat") >= 1, health::toString);
      assertTrue(health.getJsonObject("sessions").getInt("echo") >= 1, health::toString);
      assertTrue(health.getInt("rooms") >= 1);
      assertTrue(health.getJsonNumber("uptimeSeconds").longValue() >= 0);
    }
  }

  @Test
  void metricsCountMessagesErrorsAndClosesInThePrometheusFormat() throws Exception {
    String room = Rooms.fresh("ops");
    double errorsBefore =
        value(get("metrics").body(), "parley_errors_total\\{code=\"bad-json\"\\}");
    try (Joined ada = TestClient.join(base, room, "ada")) {
      ada.client().send(say("counted"));
      ada.client().next("message");
      ada.client().sendText("not json");
      assertEquals("bad-json", ada.client().next().getString("code"));
      try (TestClient refused = TestClient.connect(base, "chat/" + room + "?name=ADA")) {
        assertEquals(4409, refused.awaitCloseCode());
      }
      HttpResponse<String> response = get("metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String metrics = response.body();
      assertEquals(errorsBefore + 1, value(metrics, "parley_errors_total\\{code=\"bad-json\"\\}"));
      assertTrue(value(metrics, "parley_sessions_open\\{endpoint=\"chat\"\\}") >= 1);
      assertTrue(value(metrics, "parley_messages_received_total\\{endpoint=\"chat\"\\}") >= 2);
      assertTrue(value(metrics, "parley_messages_sent_total\\{endpoint=\"chat\"\\}") >= 2);
      assertTrue(value(metrics, "parley_broadcast_fanout_seconds_count") >= 1);
      assertTrue(metrics.contains("parley_broadcast_fanout_seconds_bucket"), "a histogram");
      // the server counts the close once its side of the handshake is done: wait for it
      String closes = "parley_closes_total\\{code=\"4409\",endpoint=\"chat\"\\}";
      long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
      while (value(get("metrics").body(), closes) < 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(value(get("metrics").body(), closes) >= 1, "the 4409 close is counted");
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return Scrape.get(base, path);
  }

  private static double value(String metrics, String series) {
    return Scrape.value(metrics, series);
  }
}
