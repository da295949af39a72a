package dev.parley.it;

import java.net.URL;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The operations page, {@code /ops}, as an operator sees it, through its element ids. */
final class OpsPage {

  /** The charts the page draws, by the id of their container ({@code chart-ID}). */
  static final List<String> CHARTS =
      List.of("connections", "rooms", "messages", "fanout", "slow", "closes");

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  /** Opens the page, with a URL fragment (a sign-in) unless {@code fragment} is empty. */
  OpsPage(ChromeDriver driver, URL base, String fragment) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Browser.TIMEOUT);
    driver.get(Deployments.onLoopback(base) + "ops" + (fragment.isEmpty() ? "" : "#" + fragment));
  }

  void awaitState(String state) {
    wait.withMessage(() -> "status " + text("status") + ", alert " + text("alert"))
        .until(d -> state.equals(d.findElement(By.id("status")).getAttribute("data-state")));
  }

  void awaitAlert(String part) {
    wait.withMessage(() -> "alert: " + text("alert")).until(d -> text("alert").contains(part));
  }

  /** Snapshots drawn in a chart so far. */
  int points(String chart) {
    String points = driver.findElement(By.id("chart-" + chart)).getAttribute("data-points");
    return points == null ? 0 : Integer.parseInt(points);
  }

  /** Pixels of a chart's canvas that are not blank: axes, grid and lines are drawn. */
  long drawnPixels(String chart) {
    Object count =
        driver.executeScript(
            "const canvas = document.querySelector('#chart-' + arguments[0] + ' canvas');"
                + "if (!canvas || canvas.width === 0) return 0;"
                + "const data = canvas.getContext('2d')"
                + "  .getImageData(0, 0, canvas.width, canvas.height).data;"
                + "let drawn = 0;"
                + "for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;"
                + "return drawn;",
            chart);
    return ((Number) count).longValue();
  }

  /** A tile's number, such as {@code now-connections}; -1 while it shows none. */
  double tile(String id) {
    String text = text(id).replace(" ms", "");
    return text.matches("[0-9.]+") ? Double.parseDouble(text) : -1;
  }

  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  WebDriverWait waiting() {
    return wait;
  }
}
