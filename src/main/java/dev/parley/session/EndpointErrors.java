package dev.parley.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * What an endpoint does with an error the container reports: a peer that vanished is routine; a
 * failure of ours is logged with context and the connection closed with 1011, since its state can
 * no longer be trusted.
 */
@ApplicationScoped
public class EndpointErrors {

  private static final System.Logger LOG = System.getLogger(EndpointErrors.class.getName());

  /** Reason sent with 1011. */
  public static final String UNEXPECTED = "Unexpected server error";

  public void handle(Session session, Throwable error) {
    if (isConnectionLoss(error) || !session.isOpen()) {
      LOG.log(Level.DEBUG, "Session {0} lost its connection: {1}", session.getId(), error);
      return;
    }
    LOG.log(Level.WARNING, "Session " + session.getId() + " on " + session.getRequestURI(), error);
    Sessions.close(
        session, new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, UNEXPECTED));
  }

  /**
   * Where CDI stops before the WebSocket container (Tomcat with Weld), the last close handshakes
   * complete after the beans are gone. Nothing is left to update then; the event is only logged.
   */
  public static void afterShutdown(Object event, IllegalStateException cdiStopped) {
    LOG.log(Level.DEBUG, "{0} after the application stopped: {1}", event, cdiStopped.getMessage());
  }

  private static boolean isConnectionLoss(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
