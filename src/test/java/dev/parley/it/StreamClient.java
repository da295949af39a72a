package dev.parley.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A chat member on an event stream ({@code GET /sse/chat/ROOM}), read as any SSE client reads it:
 * events of {@code event:}, {@code id:} and {@code data:} lines, and comments. Frames are sent with
 * POSTs that carry the welcome's token.
 */
final class StreamClient implements AutoCloseable {

  /** One event: its type, its id (or null) and its data; a comment has type null. */
  record Event(String type, String id, String data) {
    JsonObject json() {
      try (var reader = Json.createReader(new StringReader(data))) {
        return reader.readObject();
      }
    }
  }

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  // one client per stream: a connection pooled from an earlier test may be one the server closed
  private final HttpClient http;
  private final URI room;
  private final InputStream body;
  private final Thread reader;

  private StreamClient(HttpClient http, URI room, InputStream body) {
    this.http = http;
    this.room = room;
    this.body = body;
    this.reader = new Thread(this::read, "stream-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream of {@code room} with this query, and a {@code Last-Event-ID} if not null. */
  static StreamClient open(URL base, String room, String query, String lastEventId) {
    URI uri = URI.create(Deployments.onLoopback(base) + "sse/chat/" + room);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri + "?" + query)).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpClient http = HttpClient.newHttpClient();
    try {
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        fail("GET " + uri + " answered " + response.statusCode());
      }
      return new StreamClient(http, uri, response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * A stream on a plain socket whose reading the test controls: the GET is sent, nothing is read. A
   * {@code receiveBuffer} above 0 keeps the socket's window small, as a stalled client's is.
   */
  static Socket rawStream(URL base, String room, String query, int receiveBuffer)
      throws IOException {
    URL stream = new URL(Deployments.onLoopback(base), "sse/chat/" + room + "?" + query);
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(stream.getHost(), stream.getPort()));
    socket
        .getOutputStream()
        .write(
            ("GET "
                    + stream.getFile()
                    + " HTTP/1.1\r\nHost: "
                    + stream.getAuthority()
                    + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** POSTs one frame with this token; returns the response. */
  HttpResponse<String> post(String token, String frame) {
    return postBytes(token, frame.getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs one frame with this token to the same room on another node. */
  HttpResponse<String> postVia(URL node, String token, String frame) {
    String path = room.getPath();
    URI there =
        URI.create(
            Deployments.onLoopback(node) + "sse/chat/" + path.substring(path.lastIndexOf('/') + 1));
    return post(there, token, frame.getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs these bytes as a frame, UTF-8 or not. */
  HttpResponse<String> postBytes(String token, byte[] frame) {
    return post(room, token, frame);
  }

  private HttpResponse<String> post(URI to, String token, byte[] frame) {
    HttpRequest request =
        HttpRequest.newBuilder(to)
            .header("Content-Type", "application/json")
            .header("X-Parley-Token", token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(frame))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next event of any kind, comments included, within the usual wait. */
  Event nextEvent() {
    try {
      Event event = events.poll(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (event == null) {
        fail("No event within " + TestClient.TIMEOUT);
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next event of this type, skipping others (presence, comments…). */
  Event next(String type) {
    while (true) {
      Event event = nextEvent();
      if (type.equals(event.type())) {
        return event;
      }
    }
  }

  /** Whether the server ended the stream, once every event before the end was read. */
  boolean ended() {
    return !reader.isAlive() && events.isEmpty();
  }

  /** Goes away without a word, as a closed tab or a lost network does. */
  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String type = null;
      String id = null;
      StringBuilder data = new StringBuilder();
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (type != null || data.length() > 0) {
            events.add(new Event(type == null ? "message" : type, id, data.toString()));
          }
          type = null;
          id = null;
          data.setLength(0);
        } else if (line.startsWith(":")) {
          events.add(new Event(null, null, line.substring(1).trim()));
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
    } catch (IOException endedOrClosed) {
      // the stream is over
    }
  }
}
