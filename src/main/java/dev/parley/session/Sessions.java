package dev.parley.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;

/** Closing a session whose peer may already be gone. */
public final class Sessions {

  private static final System.Logger LOG = System.getLogger(Sessions.class.getName());

  /** How long Tomcat may hold a thread to send one close frame; read from the session. */
  static final String TOMCAT_BLOCKING_SEND_TIMEOUT =
      "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

  static final long CLOSE_FRAME_WAIT_MILLIS = 1000;

  private Sessions() {}

  /**
   * Bounds how long a container thread may wait to send a close frame. Tomcat answers a client's
   * close on one of its threads, waiting (20 s by default) for the frame already being written to
   * that client; when many clients leave at once every thread waits so, the writes that would free
   * them need a thread too, and the server stops accepting anything until the waits time out (seen
   * with 1,000 members leaving a room in the benchmark). Other containers ignore the property.
   */
  public static void boundCloseWait(Session session) {
    session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, CLOSE_FRAME_WAIT_MILLIS);
  }

  /** Closes with the given code and reason; a peer that is already gone is not an error. */
  public static void close(Session session, CloseReason reason) {
    try {
      if (session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException | IllegalStateException e) {
      LOG.log(
          Level.DEBUG, "Session {0} was gone before close {1}: {2}", session.getId(), reason, e);
    }
  }
}
