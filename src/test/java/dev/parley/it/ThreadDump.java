package dev.parley.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every thread's stack at a stall: embedded servers share the test's JVM, so their threads say why
 * it stalled. The dump goes to the test's output and to {@code target/it-logs/stall-*.txt}, which
 * {@code .ci/run} sums up when a step fails.
 */
final class ThreadDump {

  private ThreadDump() {}

  static void print(String stall) {
    StringBuilder dump = new StringBuilder("Thread dump at the stall: ").append(stall).append('\n');
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append(thread); // ThreadInfo.toString shows the top frames and the locks held
      StackTraceElement[] stack = thread.getStackTrace();
      for (int i = 8; i < stack.length; i++) {
        dump.append("\tat ").append(stack[i]).append('\n'); // and the rest, which it leaves out
      }
    }
    System.out.print(dump);
    Path logs = Path.of(System.getProperty("parley.it.logs", "target/it-logs"));
    try {
      Files.createDirectories(logs);
      Files.writeString(logs.resolve("stall-" + System.currentTimeMillis() + ".txt"), dump);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
