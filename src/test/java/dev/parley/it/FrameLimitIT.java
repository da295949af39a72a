package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A frame over the limit closes with 1009 whatever its size, at the latest once a little more than
 * the limit has arrived: on GlassFish and Payara from its header, on Tomcat when its buffer (the
 * limit) overflows. Neither waits for the rest, and none answers 1011 from a buffer of its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FrameLimitIT {

  private static final int TEXT = 0x1;
  private static final int BINARY = 0x2;
  private static final int CONTINUATION = 0x0;
  private static final long SIXTEEN_MIB = 16L << 20;

  /** What the client sends of an oversize frame before it waits for the close: past the limit. */
  private static final int SENT_OF_IT = 65536 + 4096;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void aSixteenMebibyteTextFrameOnEchoClosesWith1009() throws Exception {
    assertEquals(1009, closeCodeForFrame("echo", TEXT, true, SIXTEEN_MIB));
  }

  @Test
  void aSixteenMebibyteBinaryFrameOnEchoClosesWith1009() throws Exception {
    assertEquals(1009, closeCodeForFrame("echo", BINARY, true, SIXTEEN_MIB));
  }

  @Test
  void aSixteenMebibyteFrameOnChatClosesWith1009() throws Exception {
    String room = Rooms.fresh("big");
    assertEquals(1009, closeCodeForFrame("chat/" + room + "?name=big", TEXT, true, SIXTEEN_MIB));
  }

  @Test
  void aFrameDeclaringTheLargestLengthClosesWith1009() throws Exception {
    assertEquals(1009, closeCodeForFrame("echo", TEXT, true, Long.MAX_VALUE));
  }

  @Test
  void aContinuationFrameOverTheLimitClosesWith1009() throws Exception {
    try (RawPeer peer = RawPeer.connect(base, 0)) {
      assertEquals(101, peer.handshake(base, "echo"));
      peer.startFrame(TEXT, false, 10, 10);
      peer.startFrame(CONTINUATION, true, SIXTEEN_MIB, SENT_OF_IT);
      assertEquals(1009, peer.awaitCloseCode());
    }
    assertEchoServes();
  }

  @Test
  void aMessageOverTheLimitInSmallFragmentsClosesWith1009() throws Exception {
    try (RawPeer peer = RawPeer.connect(base, 0)) {
      assertEquals(101, peer.handshake(base, "echo"));
      for (int i = 0; i < 20; i++) {
        peer.startFrame(i == 0 ? TEXT : CONTINUATION, false, 4096, 4096); // 80 KiB in all
      }
      assertEquals(1009, peer.awaitCloseCode());
    }
    assertEchoServes();
  }

  /** Sends a frame's header and the start of its payload, then reads how the server closes. */
  private int closeCodeForFrame(String path, int opcode, boolean fin, long declared)
      throws Exception {
    int code;
    try (RawPeer peer = RawPeer.connect(base, 0)) {
      assertEquals(101, peer.handshake(base, path));
      peer.startFrame(opcode, fin, declared, SENT_OF_IT);
      code = peer.awaitCloseCode();
    }
    assertEchoServes();
    return code;
  }

  private void assertEchoServes() {
    try (TestClient echo = TestClient.connect(base, "echo")) {
      echo.sendText("after");
      assertEquals("after", echo.nextText());
    }
  }
}
