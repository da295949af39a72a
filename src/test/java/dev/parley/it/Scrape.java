package dev.parley.it;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code /metrics} as Prometheus would. */
final class Scrape {

  static final String CHAT_RECEIVED = "parley_messages_received_total\\{endpoint=\"chat\"\\}";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Scrape() {}

  static HttpResponse<String> get(URL base, String path) throws Exception {
    URI uri = URI.create(Deployments.onLoopback(base) + path);
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(TestClient.TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The current value of one series (a regular expression), 0 when it does not exist yet. */
  static double value(URL base, String series) throws Exception {
    return value(get(base, "metrics").body(), series);
  }

  static double value(String metrics, String series) {
    Matcher line = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }
}
