package dev.parley.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own, on a free loopback port, without persistence: started
 * and stopped by the test, never a system service. Without the Debian package the test is skipped
 * on a developer machine and fails in CI (CI=true), where skipping would prove nothing.
 */
public final class LocalRedis implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(15);

  private final String executable;
  private final int port;
  private final Path log;
  private Process process;

  private LocalRedis(String executable, int port, Path log) {
    this.executable = executable;
    this.port = port;
    this.log = log;
  }

  /** Starts a fresh server and waits until it answers. */
  public static LocalRedis start() {
    String executable = find();
    try {
      Path logs = Path.of(System.getProperty("parley.it.logs", "target/it-logs"));
      Files.createDirectories(logs);
      int port = freePort();
      LocalRedis redis = new LocalRedis(executable, port, logs.resolve("redis-" + port + ".log"));
      redis.startProcess();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server (its data is lost: no persistence) and waits until it is gone. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Starts the stopped server again on the same port, empty. */
  public void restart() {
    stop();
    startProcess();
  }

  @Override
  public void close() {
    stop();
  }

  private void startProcess() {
    List<String> command =
        List.of(
            executable,
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no");
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(STARTUP);
    while (!answers()) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("redis-server did not start on port " + port + "; " + log);
      }
      pause();
    }
  }

  /**
   * Cuts every subscriber's connection, as a network blip would: the clients reconnect, and what is
   * published meanwhile never reaches them. Returns how many were cut.
   */
  public int cutSubscriptions() {
    try {
      String reply = command("CLIENT KILL TYPE pubsub");
      if (!reply.startsWith(":")) {
        throw new IllegalStateException("CLIENT KILL answered " + reply);
      }
      return Integer.parseInt(reply.substring(1).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server answers PING. */
  private boolean answers() {
    try {
      return command("PING").startsWith("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Sends one inline command and returns the first line of the reply. */
  private String command(String inline) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString().trim();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    return Stream.concat(Stream.of("/usr/bin"), Stream.of(path.split(":")))
        .map(folder -> Path.of(folder, "redis-server"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst()
        .orElseGet(
            () -> {
              String missing = "These tests need redis-server: sudo apt-get install redis-server";
              if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
              }
              Assumptions.abort(missing);
              return null;
            });
  }

  /** A port free now on loopback. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
