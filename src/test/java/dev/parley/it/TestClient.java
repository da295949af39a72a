package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests, on the JDK's own {@link java.net.http.WebSocket}: it collects what
 * the server sends and lets a test wait for it, always with a timeout.
 */
final class TestClient implements WebSocket.Listener, AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final BlockingQueue<ByteBuffer> binaries = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private volatile Throwable failure;
  private volatile String closeReason;
  private final StringBuilder partialText = new StringBuilder();
  private ByteBuffer partialBinary = ByteBuffer.allocate(0);
  private WebSocket socket;

  private TestClient() {}

  /** Connects to {@code path} (no leading slash) under the deployment's base URL. */
  static TestClient connect(URL base, String path) {
    return connect(base, path, Map.of());
  }

  /** A client that sends {@code Authorization: Bearer token} with its handshake. */
  static TestClient connectWithBearer(URL base, String path, String token) {
    return connect(base, path, Map.of("Authorization", "Bearer " + token));
  }

  private static TestClient connect(URL base, String path, Map<String, String> headers) {
    TestClient client = new TestClient();
    URI uri =
        URI.create(Deployments.onLoopback(base).toString().replaceFirst("^http", "ws") + path);
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
    headers.forEach(builder::header);
    client.socket =
        builder.buildAsync(uri, client).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    return client;
  }

  /** Joins {@code room} as {@code nick} and returns the client once its welcome arrived. */
  static Joined join(URL base, String room, String nick) {
    return join(base, room, nick, "");
  }

  /** Joins with extra query parameters, e.g. {@code "&since=3&epoch=x"}. */
  static Joined join(URL base, String room, String nick, String extraQuery) {
    TestClient client = connect(base, "chat/" + room + "?name=" + encode(nick) + extraQuery);
    JsonObject welcome = client.next();
    assertEquals("welcome", welcome.getString("type"), () -> "expected a welcome: " + welcome);
    return new Joined(client, welcome);
  }

  /** A chat client and the welcome it received. */
  record Joined(TestClient client, JsonObject welcome) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  void sendText(String text) {
    socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  void sendBinary(byte[] data) {
    socket
        .sendBinary(ByteBuffer.wrap(data), true)
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  /**
   * Sends a frame that the server is to refuse for its size. The server may judge it by its header
   * and close before the client has finished writing it: the send failing then is expected.
   */
  void sendRefused(String text) {
    socket
        .sendText(text, true)
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .exceptionally(closedWhileWriting -> null)
        .join();
  }

  /** Like {@link #sendRefused(String)}, as a binary frame. */
  void sendRefused(byte[] data) {
    socket
        .sendBinary(ByteBuffer.wrap(data), true)
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .exceptionally(closedWhileWriting -> null)
        .join();
  }

  /** Sends one JSON frame. */
  void send(JsonObject message) {
    sendText(message.toString());
  }

  /** The next text frame. */
  String nextText() {
    try {
      String text = texts.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(text, () -> "no text frame within " + TIMEOUT + "; " + ending());
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next binary frame. */
  byte[] nextBinary() {
    try {
      ByteBuffer data = binaries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(data, () -> "no binary frame within " + TIMEOUT + "; " + ending());
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return bytes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, parsed as JSON. */
  JsonObject next() {
    return Json.createReader(new StringReader(nextText())).readObject();
  }

  /** The next frame of {@code type}, skipping presence and typing frames that may come between. */
  JsonObject next(String type) {
    while (true) {
      JsonObject frame = next();
      if (frame.getString("type").equals(type)) {
        return frame;
      }
      if (!frame.getString("type").matches("presence|typing")) {
        fail("expected " + type + " but got " + frame);
      }
    }
  }

  /** Reads presence frames (skipping others) until {@code name} has joined; returns that frame. */
  JsonObject awaitJoined(String name) {
    return awaitPresence("joined", name);
  }

  /** Reads presence frames (skipping others) until {@code name} has left; returns that frame. */
  JsonObject awaitLeft(String name) {
    return awaitPresence("left", name);
  }

  private JsonObject awaitPresence(String change, String name) {
    while (true) {
      JsonObject frame = next("presence");
      if (Frames.names(frame, change).contains(name)) {
        return frame;
      }
    }
  }

  /** Drops the TCP connection without a close frame, as a crashed client or a dead link would. */
  void abort() {
    socket.abort();
  }

  /** Whether a text frame is already waiting (nothing is awaited). */
  boolean hasPendingText() {
    return !texts.isEmpty();
  }

  /** The close code the server sent; waits for it. */
  int awaitCloseCode() {
    return awaitCloseCode(TIMEOUT);
  }

  /** The close code, waiting at most {@code limit}. */
  int awaitCloseCode(Duration limit) {
    return closeCode.orTimeout(limit.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The reason of the close frame the server sent, once {@link #awaitCloseCode} returned. */
  String closeReason() {
    return closeReason;
  }

  boolean isOpen() {
    return !socket.isInputClosed() && !closeCode.isDone();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partialText.append(data);
    if (last) {
      texts.add(partialText.toString());
      partialText.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    ByteBuffer joined = ByteBuffer.allocate(partialBinary.remaining() + data.remaining());
    joined.put(partialBinary).put(data).flip();
    partialBinary = joined;
    if (last) {
      binaries.add(partialBinary);
      partialBinary = ByteBuffer.allocate(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closeCode.complete(statusCode);
    return null;
  }

  /**
   * RFC 6455 §7.1.5: a connection that ended without a close frame reports 1006. Not always:
   * java.net.http (JDK 17 to 25) loses such an end when it arrives while this listener still holds
   * the previous message (its transport throws InternalError, and neither onClose nor onError is
   * called). A test that needs to see the connection end whatever the server sent uses {@link
   * RawPeer}.
   */
  static final int ABNORMAL_CLOSURE = 1006;

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    failure = error;
    closeCode.complete(ABNORMAL_CLOSURE);
  }

  /** Why no frame came: how the connection ended, if it did. */
  private String ending() {
    if (!closeCode.isDone()) {
      return "the connection is open";
    }
    return "the connection ended with "
        + closeCode.join()
        + (failure == null ? "" : ": " + failure);
  }

  @Override
  public void close() {
    try {
      if (!socket.isOutputClosed()) {
        socket
            .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
            .thenCompose(ignored -> closeCode)
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (Exception alreadyGone) {
      // the server closed first or the connection is gone: nothing left to close gracefully
    } finally {
      socket.abort();
    }
  }
}
