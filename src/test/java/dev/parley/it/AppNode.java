package dev.parley.it;

import dev.parley.cluster.LocalRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Parley node in a process of its own: the built WAR on embedded GlassFish, as {@code ./mvnw
 * -Prun} serves it, on a free port of 127.0.0.1, with the Redis it shares with the other nodes.
 */
final class AppNode implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofMinutes(3);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** GlassFish's HTTP listener on loopback only, from its first start. */
  private static final String LOOPBACK_ONLY =
      "configs.config.server-config.network-config.network-listeners.network-listener"
          + ".http-listener.address=127.0.0.1\n";

  private final String name;
  private final int port;
  private final Process process;
  private final Path log;

  private AppNode(String name, int port, Process process, Path log) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts a node; {@link #awaitServing()} waits until it answers. */
  static AppNode start(String name, String redisUri) {
    try {
      Path logs = Path.of(System.getProperty("parley.it.logs", "target/it-logs"));
      Files.createDirectories(logs);
      Path properties =
          Files.writeString(logs.resolve("glassfish-loopback.properties"), LOOPBACK_ONLY);
      Path log = logs.resolve("node-" + name + ".log");
      int port = LocalRedis.freePort();
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx384m",
              "-XX:TieredStopAtLevel=1", // boots faster, and the machine is shared
              "-jar",
              System.getProperty(
                  "parley.glassfish.jar", "target/cluster/glassfish-embedded-all.jar"),
              "--properties=" + System.getProperty("parley.glassfish.properties"),
              "--properties=" + properties.toAbsolutePath(),
              "--httpPort=" + port,
              Path.of(System.getProperty("parley.war", "target/parley.war"))
                  .toAbsolutePath()
                  .toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      builder.environment().put("PARLEY_REDIS_URI", redisUri);
      Process process = builder.start();
      // never outlive the tests, whatever ends them
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      return new AppNode(name, port, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the node answers {@code /health}. */
  AppNode awaitServing() {
    Instant deadline = Instant.now().plus(STARTUP);
    HttpRequest health = HttpRequest.newBuilder(URI.create(base() + "health")).build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + name + " exited; see " + log);
      }
      try {
        if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("node " + name + " did not serve within " + STARTUP);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  URL base() {
    try {
      return new URL("http://127.0.0.1:" + port + "/");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the process at once, as {@code kill -9}: no close frames, nothing cleaned up. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  @Override
  public String toString() {
    return "node " + name + " on port " + port;
  }
}
