package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /echo} sends every frame back unchanged, within the size limits. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EchoIT {

  private static final int MAX_BYTES = 65_536;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void textComesBackUnchanged() {
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText("hello");
      assertEquals("hello", echo.nextText());
    }
  }

  @Test
  void unicodeTextComesBackUnchanged() {
    String text = "Привет, мир! 你好 👋🏽 e\u0301";
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText(text);
      assertEquals(text, echo.nextText());
    }
  }

  @Test
  void binaryComesBackByteForByte() {
    byte[] data = new byte[256];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendBinary(data);
      assertArrayEquals(data, echo.nextBinary());
    }
  }

  @Test
  void framesOfExactlyTheMaximumSizeComeBack() {
    byte[] data = new byte[MAX_BYTES];
    new Random(42).nextBytes(data);
    String text = "x".repeat(MAX_BYTES);
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendBinary(data);
      assertArrayEquals(data, echo.nextBinary());
      echo.sendText(text);
      assertEquals(text, echo.nextText());
    }
  }

  @Test
  void framesComeBackInTheOrderSent() {
    try (TestClient echo = TestClient.connect(base, "echo")) {
      for (int i = 0; i < 100; i++) {
        echo.sendText("frame " + i);
      }
      for (int i = 0; i < 100; i++) {
        assertEquals("frame " + i, echo.nextText());
      }
    }
  }

  @Test
  void aTextFrameOverTheLimitClosesWith1009() {
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendRefused("é".repeat(MAX_BYTES / 2 + 1));
      assertEquals(1009, echo.awaitCloseCode());
    }
  }

  @Test
  void aBinaryFrameOverTheLimitClosesWith1009() {
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendRefused(new byte[MAX_BYTES + 1]);
      assertEquals(1009, echo.awaitCloseCode());
    }
  }

  @Test
  void anOversizeFrameClosesOnlyItsOwnConnection() {
    try (TestClient bystander = TestClient.connect(base, "echo");
        TestClient offender = TestClient.connect(base, "echo")) {
      offender.sendRefused(new byte[MAX_BYTES + 1]);
      assertEquals(1009, offender.awaitCloseCode());
      bystander.sendText("still here".getBytes(StandardCharsets.UTF_8).length + " bytes");
      assertEquals("10 bytes", bystander.nextText());
    }
  }
}
