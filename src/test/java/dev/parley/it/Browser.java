package dev.parley.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Debian Chromium sessions for a test, each with a fresh profile. When a test fails, each
 * session's screenshot and console log are saved under {@code target/browser-failures/}.
 */
final class Browser implements AfterEachCallback {

  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final List<ChromeDriver> drivers = new ArrayList<>();

  /**
   * A new browser window, with its own profile (own localStorage). Without Chromium the test is
   * skipped on a developer machine, and fails in CI (CI=true), where skipping would prove nothing.
   */
  ChromeDriver open() throws IOException {
    String chromium = System.getProperty("chromium.binary", "/usr/bin/chromium");
    String driverPath = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
    if (!Files.isExecutable(Path.of(chromium)) || !Files.isExecutable(Path.of(driverPath))) {
      String missing =
          "Browser tests need "
              + chromium
              + " and "
              + driverPath
              + ": sudo apt-get install chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(missing);
      }
      Assumptions.abort(missing);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
        "--user-data-dir=" + Files.createTempDirectory("parley-chromium"));
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(driverPath).toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(TIMEOUT);
    drivers.add(driver);
    return driver;
  }

  /** Closes one window before the test ends, as a user closing the tab. */
  void close(ChromeDriver driver) {
    drivers.remove(driver);
    driver.quit();
  }

  /** The console messages of a window so far, one per line. */
  static String consoleLog(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString)
        .collect(Collectors.joining("\n"));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      if (context.getExecutionException().isPresent()) {
        saveArtifacts(context.getRequiredTestClass().getSimpleName(), context.getDisplayName());
      }
    } finally {
      drivers.forEach(ChromeDriver::quit);
      drivers.clear();
    }
  }

  private void saveArtifacts(String testClass, String test) throws IOException {
    Path folder =
        Path.of(System.getProperty("parley.browser.artifacts", "target/browser-failures"));
    Files.createDirectories(folder);
    String stem = (testClass + "-" + test).replaceAll("[^A-Za-z0-9_-]", "_");
    for (int i = 0; i < drivers.size(); i++) {
      ChromeDriver driver = drivers.get(i);
      Files.write(
          folder.resolve(stem + "-window" + i + ".png"),
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      Files.writeString(folder.resolve(stem + "-window" + i + "-console.log"), consoleLog(driver));
    }
  }
}
