package dev.parley.it;

import static dev.parley.it.Frames.say;
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
 * A half-open connection, silent because its peer vanished, is found by the heartbeat and its
 * member removed, while a quiet but live client, which answers pings, stays.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HeartbeatIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of("parley.pingIntervalMillis", "500", "parley.heartbeatTimeoutMillis", "2000"));
  }

  @ArquillianResource URL base;

  @Test
  void aHalfOpenConnectionIsDroppedAndItsMemberLeavesWhileQuietLiveOnesStay() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(base);
        Joined quiet = TestClient.join(base, "heartbeat", "quiet")) {
      Joined vanishing = TestClient.join(proxy.front(base), "heartbeat", "vanishing");
      quiet.client().awaitJoined("vanishing");
      proxy.freeze();

      // "quiet" sends nothing meanwhile; only its automatic pongs keep it in
      JsonObject left = quiet.client().awaitLeft("vanishing");
      assertEquals(1, left.getInt("count"));

      quiet.client().send(say("still here"));
      assertEquals("still here", quiet.client().next("message").getString("text"));
      vanishing.client().close();
    }
  }
}
