package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.it.TestClient.Joined;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Undeploying the application closes every connection with 1001, so clients reconnect. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ShutdownIT {

  private static final String DEPLOYMENT = "parley";

  @Deployment(name = DEPLOYMENT, managed = false, testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource Deployer deployer;

  @Test
  void undeployClosesChatAndEchoConnectionsWith1001() throws Exception {
    deployer.deploy(DEPLOYMENT);
    URL base =
        new URL("http://127.0.0.1:" + System.getProperty("parley.it.http.port") + "/parley/");
    try (Joined alice = TestClient.join(base, "shutdown", "alice");
        TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText("warm");
      assertEquals("warm", echo.nextText());
      deployer.undeploy(DEPLOYMENT);
      assertEquals(1001, alice.client().awaitCloseCode());
      assertEquals(1001, echo.awaitCloseCode());
    }
  }
}
