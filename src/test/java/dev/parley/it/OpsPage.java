package dev.parley.it;

import java.net.URL;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The operations page, {@code /ops}, as an operator sees it, through its element ids. */
final class OpsPage {

  /**
   * The charts the page draws with fixed series, by the id of their container ({@code chart-ID});
   * the closes chart gets a series per close code as they happen.
   */
  static final List<String> CHARTS = List.of("connections", "rooms", "messages", "fanout", "slow");

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

  /** The {@code ts} of the newest snapshot a chart has drawn; 0 before any. */
  long newest(String chart) {
    String newest = driver.findElement(By.id("chart-" + chart)).getAttribute("data-newest");
    return newest == null || newest.isEmpty() ? 0 : Long.parseLong(newest);
  }

  /**
   * Pixels of a chart's canvas in a colour: grid, axes and labels are grey, so these are its
   * series' lines and points, there only once data is drawn.
   */
  long seriesPixels(String chart) {
    Object count =
        driver.executeScript(
            "const canvas = document.querySelector('#chart-' + arguments[0] + ' canvas');"
                + "if (!canvas || canvas.width === 0) return 0;"
                + "const data = canvas.getContext('2d')"
                + "  .getImageData(0, 0, canvas.width, canvas.height).data;"
                + "let coloured = 0;"
                + "for (let i = 0; i < data.length; i += 4) {"
                + "  const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];"
                + "  if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;"
                + "}"
                + "return coloured;",
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
