package dev.parley.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;

/** Closing a session whose peer may already be gone. */
public final class Sessions {

  private static final System.Logger LOG = System.getLogger(Sessions.class.getName());

  private Sessions() {}

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
