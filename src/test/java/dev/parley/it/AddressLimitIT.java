package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One remote address may hold only so many connections; the next is closed with 1013. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AddressLimitIT {

  private static final int LIMIT = 3;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(Map.of("parley.maxConnectionsPerAddress", String.valueOf(LIMIT)));
  }

  @ArquillianResource URL base;

  @Test
  void connectionsBeyondTheLimitFromOneAddressAreClosedWith1013EvenWithAForgedAddress() {
    List<TestClient> open = new ArrayList<>();
    try {
      open.add(TestClient.join(base, "limits", "a").client());
      open.add(TestClient.join(base, "limits", "b").client());
      TestClient echo = TestClient.connect(base, "echo");
      open.add(echo);
      echo.sendText("third connection works");
      assertEquals("third connection works", echo.nextText());

      TestClient fourth = TestClient.connect(base, "echo");
      open.add(fourth);
      assertEquals(1013, fourth.awaitCloseCode());

      TestClient forged = TestClient.connect(base, "chat/limits?name=c&parley.peer=203.0.113.9");
      open.add(forged);
      assertEquals(1013, forged.awaitCloseCode(), "the server, not the client, names the address");
    } finally {
      open.forEach(TestClient::close);
    }
  }
}
