package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A page from another site cannot open a connection in a visitor's browser (403). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OriginIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @ParameterizedTest
  @ValueSource(strings = {"echo", "chat/lobby?name=ada", "feed/metrics"})
  void aHandshakeFromAForeignOriginIsRefusedWith403(String path) {
    CompletionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            CompletionException.class, () -> open(path, "https://evil.example").join());
    WebSocketHandshakeException handshake =
        assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
    assertEquals(403, handshake.getResponse().statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"echo", "chat/lobby?name=bea", "feed/metrics"})
  void aHandshakeFromThePagesOwnOriginIsAccepted(String path) {
    URL local = Deployments.onLoopback(base);
    String ownOrigin = "http://" + local.getHost() + ":" + local.getPort();
    WebSocket socket = open(path, ownOrigin).join();
    socket.abort();
  }

  private java.util.concurrent.CompletableFuture<WebSocket> open(String path, String origin) {
    URI uri =
        URI.create(Deployments.onLoopback(base).toString().replaceFirst("^http", "ws") + path);
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .header("Origin", origin)
        .buildAsync(uri, new WebSocket.Listener() {})
        .orTimeout(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
