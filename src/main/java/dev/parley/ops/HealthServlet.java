package dev.parley.ops;

import dev.parley.hub.Hub;
import dev.parley.session.SessionRegistry;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /health}: {@code {"status":"UP","uptimeSeconds":…,"sessions":{"echo":…,"chat":…},
 * "rooms":…}}. Answering at all means the application is deployed and serving.
 */
@WebServlet(
    urlPatterns = "/health",
    loadOnStartup = 1) // created at deployment: uptime counts from there
public class HealthServlet extends HttpServlet {

  private final Instant started = Instant.now();
  private transient SessionRegistry sessions;
  private transient Hub hub;
  private transient JsonProvider json;

  @Override
  public void init() {
    // looked up, not injected: not every container injects into servlets
    sessions = CDI.current().select(SessionRegistry.class).get();
    hub = CDI.current().select(Hub.class).get();
    json = JsonProvider.provider();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String body =
        json.createObjectBuilder()
            .add("status", "UP")
            .add("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds())
            .add(
                "sessions",
                json.createObjectBuilder()
                    .add("echo", sessions.echoSessionCount())
                    .add("chat", hub.memberCount()))
            .add("rooms", hub.roomCount())
            .build()
            .toString();
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(body);
  }
}
