package dev.parley.session;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.System.Logger.Level;

/**
 * Closes every connection with 1001 as the application stops, while the WebSocket container can
 * still send the close frame (by the time CDI destroys its beans, it no longer can).
 */
@WebListener
public class ShutdownListener implements ServletContextListener {

  private static final System.Logger LOG = System.getLogger(ShutdownListener.class.getName());

  private SessionRegistry registry;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    // looked up, not injected: not every container injects into listeners
    registry = CDI.current().select(SessionRegistry.class).get();
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    try {
      registry.closeAll();
    } catch (RuntimeException cdiAlreadyStopped) {
      // Where CDI stops first (Tomcat with Weld), the WebSocket container closes with 1001 itself.
      LOG.log(Level.DEBUG, "CDI stopped before the sessions were closed: {0}", cdiAlreadyStopped);
    }
  }
}
