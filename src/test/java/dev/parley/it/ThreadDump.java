package dev.parley.it;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/** Prints every thread's stack: a test that sees a stall leaves the evidence in its report. */
final class ThreadDump {

  private ThreadDump() {}

  static void print() {
    System.out.println("Thread dump at the stall:");
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      System.out.print(thread); // ThreadInfo.toString shows the top frames and the locks held
      StackTraceElement[] stack = thread.getStackTrace();
      for (int i = 8; i < stack.length; i++) {
        System.out.println("\tat " + stack[i]); // and the rest, which toString leaves out
      }
    }
  }
}
