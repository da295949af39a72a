package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With {@code parley.authEcho=true}, echo needs a token too, and ends when the token does. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EchoAuthIT {

  private static final String SECRET = "an-echo-test-secret-that-is-32-bytes-long";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.authHmacSecret", SECRET, "parley.authEcho", "true"));
  }

  @ArquillianResource URL base;

  @Test
  void echoWithoutATokenIsRefusedWith401() throws Exception {
    RawPeer peer = RawPeer.connect(base, 0);
    try {
      assertEquals(401, peer.handshake(base, "echo"));
    } finally {
      peer.close();
    }
  }

  @Test
  void echoWithATokenEchoesUntilTheTokenExpiresThenClosesWith1008() {
    Instant expires = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    String token = AuthIT.token("ada", expires, SECRET, null);
    try (TestClient echo = TestClient.connect(base, "echo?access_token=" + token)) {
      echo.sendText("signed");
      assertEquals("signed", echo.nextText());
      assertEquals(1008, echo.awaitCloseCode(Duration.ofSeconds(30)), "echo has no refresh");
      assertEquals("token expired", echo.closeReason());
      assertFalse(Instant.now().isBefore(expires.minusSeconds(1)), "closed at exp, not before");
    }
  }
}
