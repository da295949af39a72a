package dev.parley.ops.feed;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /ops}: the live operations page, {@code ops.html}, under the address operators are given.
 * The page holds no data of its own; what it shows comes over the feed, which checks origin and
 * token.
 */
@WebServlet("/ops")
public class OpsPageServlet extends HttpServlet {

  private static final String PAGE = "/ops.html";

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher(PAGE).forward(request, response);
  }
}
