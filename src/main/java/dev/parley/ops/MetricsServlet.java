package dev.parley.ops;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /metrics}: every metric in the Prometheus text format. */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

  /** The content type Prometheus expects for the text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private transient Metrics metrics;

  @Override
  public void init() {
    // looked up, not injected: not every container injects into servlets
    metrics = CDI.current().select(Metrics.class).get();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType(CONTENT_TYPE);
    response.getWriter().write(metrics.scrape());
  }
}
