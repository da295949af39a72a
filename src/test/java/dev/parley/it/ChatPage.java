package dev.parley.it;

import java.net.URL;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The bundled page as a user sees it, through its stable element ids. */
final class ChatPage {

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  ChatPage(ChromeDriver driver, URL base) {
    this(driver, base, "");
  }

  /** The page opened with a URL fragment, as a sign-in hands over its token: {@code #fragment}. */
  ChatPage(ChromeDriver driver, URL base, String fragment) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Browser.TIMEOUT);
    driver.get(Deployments.onLoopback(base) + (fragment.isEmpty() ? "" : "#" + fragment));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Fills in the join form and waits until the page is online. */
  ChatPage join(String room, String nick) {
    fill("room", room);
    fill("nick", nick);
    driver.findElement(By.id("join")).click();
    awaitState("online");
    return this;
  }

  /** Joins with the nick the page took from its token, and waits until it is online. */
  ChatPage joinSignedIn(String room) {
    fill("room", room);
    driver.findElement(By.id("join")).click();
    awaitState("online");
    return this;
  }

  /** Who the page says it is signed in as. */
  String identity() {
    return driver.findElement(By.id("identity")).getText();
  }

  /** The nick field's value. */
  String nick() {
    return driver.findElement(By.id("nick")).getAttribute("value");
  }

  void say(String text) {
    WebElement input = driver.findElement(By.id("message"));
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  void typeWithoutSending(String text) {
    driver.findElement(By.id("message")).sendKeys(text);
  }

  void awaitState(String state) {
    wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state));
  }

  /**
   * Waits until the address bar no longer contains {@code text}. The browser learns of a page's
   * {@code history.replaceState} a moment after the script ran, so it is waited for, not read once.
   */
  void awaitAddressWithout(String text) {
    wait.withMessage(() -> "address without '" + text + "': " + driver.getCurrentUrl())
        .until(d -> !d.getCurrentUrl().contains(text));
  }

  void awaitAlert(String text) {
    wait.withMessage(() -> "alert '" + text + "'; alert: " + alert())
        .until(d -> alert().contains(text));
  }

  String status() {
    return driver.findElement(By.id("status")).getText();
  }

  /** Waits until a chat message with this text is shown. */
  void awaitMessage(String text) {
    wait.withMessage(() -> "message '" + text + "' shown; messages: " + messageTexts())
        .until(d -> messageTexts().contains(text));
  }

  /** Waits until some line of the conversation (notice, whisper, error…) contains the text. */
  void awaitLine(String text) {
    wait.withMessage(() -> "a line with '" + text + "'; lines: " + lines())
        .until(d -> lines().stream().anyMatch(line -> line.contains(text)));
  }

  List<String> messageTexts() {
    return texts("#messages li.message .text");
  }

  List<Long> messageIds() {
    return attributes("#messages li.message[data-id]", "data-id").stream()
        .map(Long::parseLong)
        .toList();
  }

  List<String> lines() {
    return texts("#messages li");
  }

  void awaitMembers(List<String> expected) {
    wait.withMessage(() -> "members " + expected + "; shown: " + members())
        .until(d -> members().equals(expected));
  }

  /** Waits until the member list names exactly {@code expected}, in any order. */
  void awaitMemberSet(java.util.Set<String> expected) {
    wait.withMessage(() -> "members " + expected + "; shown: " + members())
        .until(d -> members().size() == expected.size() && expected.containsAll(members()));
  }

  /** Waits until the members' heading shows the room's size, e.g. "Members (2)". */
  void awaitCount(int count) {
    wait.until(ExpectedConditions.textToBe(By.id("members-title"), "Members (" + count + ")"));
  }

  List<String> members() {
    return texts("#members .member").stream().map(name -> name.replace(" (you)", "")).toList();
  }

  void awaitTyping(String text) {
    wait.until(ExpectedConditions.textToBe(By.id("typing"), text));
  }

  String alert() {
    return driver.findElement(By.id("chat-alert")).getText();
  }

  void echo(String text) {
    fill("echo-input", text);
    driver.findElement(By.id("echo-send")).click();
  }

  void echoFile(java.nio.file.Path file) {
    driver.findElement(By.id("echo-file")).sendKeys(file.toAbsolutePath().toString());
  }

  void awaitEchoLine(String fragment) {
    wait.withMessage(() -> "echo log line with '" + fragment + "'; log: " + texts("#echo-log li"))
        .until(d -> texts("#echo-log li").stream().anyMatch(line -> line.contains(fragment)));
  }

  private void fill(String id, String value) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  /** The text of every match, read in one script so that the list is one consistent moment. */
  @SuppressWarnings("unchecked")
  private List<String> texts(String css) {
    return (List<String>)
        driver.executeScript(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", css);
  }

  @SuppressWarnings("unchecked")
  private List<String> attributes(String css, String attribute) {
    return (List<String>)
        driver.executeScript(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))",
            css,
            attribute);
  }
}
