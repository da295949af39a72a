package dev.parley.it;

import static dev.parley.it.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.TestClient.Joined;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member that stops reading is closed with 1013 once its queue is full; the others go on and miss
 * nothing, and the sender is never held up.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowConsumerIT {

  /** Enough to fill any socket buffers on loopback many times over: the test stops far sooner. */
  private static final int MAX_MESSAGES = 20_000;

  private static final String TEXT = "x".repeat(3990);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "parley.maxQueuedMessages", "200",
            "parley.ratePerSecond", "100000",
            "parley.rateBurst", "100000"));
  }

  @ArquillianResource URL base;

  @Test
  void aMemberThatStopsReadingIsClosedWith1013AndTheOthersMissNothing() throws Exception {
    String room = Rooms.fresh("slow");
    List<Joined> readers = new ArrayList<>();
    ExecutorService sending = Executors.newSingleThreadExecutor();
    RawPeer stalled = null;
    try (Joined sender = TestClient.join(base, room, "sender")) {
      for (int i = 0; i < 3; i++) {
        readers.add(TestClient.join(base, room, "reader" + i));
      }
      Joined watcher = readers.get(0);
      // A bare socket that reads nothing after the handshake. Not java.net.http: its WebSocket can
      // lose a connection's end that comes without a close frame (JDK 17 to 25: TransportImpl
      // reads the EOF while the listener still holds the last message, acknowledgeReception then
      // throws InternalError, and neither onClose nor onError is ever called).
      stalled = RawPeer.connect(base, 0);
      assertEquals(101, stalled.handshake(base, "chat/" + room + "?name=stalled"));
      watcher.client().awaitJoined("stalled");

      // Socket buffers absorb megabytes before the queue grows: say until the stalled one is gone.
      AtomicBoolean stalledGone = new AtomicBoolean();
      Future<Integer> said =
          sending.submit(
              () -> {
                int count = 0;
                while (!stalledGone.get() && count < MAX_MESSAGES) {
                  sender.client().send(say(++count + " " + TEXT));
                  // paced by its own echo: as fast as live readers can follow, no faster
                  sender.client().next("message");
                }
                return count;
              });
      List<JsonObject> watched = new ArrayList<>();
      while (!stalledGone.get()) {
        JsonObject frame = watcher.client().next();
        watched.add(frame);
        if (frame.getString("type").equals("presence")
            && Frames.names(frame, "left").contains("stalled")) {
          stalledGone.set(true);
        }
      }
      int total = said.get(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(total < MAX_MESSAGES, "the stalled member was dropped");

      for (Joined reader : readers) {
        long previous = 0;
        int received = 0;
        int position = 0;
        while (received < total) {
          JsonObject frame =
              reader == watcher && position < watched.size()
                  ? watched.get(position++)
                  : reader.client().next();
          if (frame.getString("type").equals("message")) {
            long id = frame.getJsonNumber("id").longValue();
            assertEquals(previous + 1, id, "in order, none missing");
            previous = id;
            received++;
          } else {
            assertEquals("presence", frame.getString("type"), frame.toString());
          }
        }
      }
      // It reads megabytes of backlog first; its close frame, if it got one, waits behind them.
      // 1013 is sent, but a peer whose buffers are full may see only the connection end (1006)
      int code = stalled.awaitCloseCodeOrEnd();
      assertTrue(
          code == 1013 || code == TestClient.ABNORMAL_CLOSURE, "closed by the server: " + code);
    } finally {
      sending.shutdownNow();
      readers.forEach(Joined::close);
      if (stalled != null) {
        stalled.close();
      }
    }
  }

  @Test
  void anEventStreamThatStopsReadingIsClosedAndLeavesWhileTheOthersGoOn() throws Exception {
    String room = Rooms.fresh("slow-stream");
    ExecutorService sending = Executors.newSingleThreadExecutor();
    AtomicBoolean stalledGone = new AtomicBoolean();
    try (Joined sender = TestClient.join(base, room, "sender");
        Joined watcher = TestClient.join(base, room, "watcher");
        Socket stalled = StreamClient.rawStream(base, room, "name=stalled", 4096)) {
      watcher.client().awaitJoined("stalled");
      sending.submit(
          () -> {
            for (int count = 1; !stalledGone.get() && count < MAX_MESSAGES; count++) {
              sender.client().send(say(count + " " + TEXT));
              sender.client().next("message"); // paced by its own echo
            }
            return null;
          });
      JsonObject frame;
      do {
        frame = watcher.client().next(); // the room's messages go on coming to those who read
      } while (!frame.getString("type").equals("presence")
          || !Frames.names(frame, "left").contains("stalled"));
      stalledGone.set(true);
      // and the stream was ended, not left open: what was sent ends with the connection's end
      stalled.setSoTimeout((int) TestClient.TIMEOUT.multipliedBy(4).toMillis());
      InputStream backlog = stalled.getInputStream();
      byte[] chunk = new byte[1 << 16];
      while (backlog.read(chunk) >= 0) {
        // a read that times out fails the test: the server kept the stream open
      }
    } finally {
      sending.shutdownNow();
    }
  }
}
