package dev.parley.session;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Closes every connection with 1001 as the application stops, while the WebSocket container can
 * still send the close frame (by the time CDI destroys its beans, it no longer can).
 */
@WebListener
public class ShutdownListener implements ServletContextListener {

  @Inject SessionRegistry registry;

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    registry.closeAll();
  }
}
