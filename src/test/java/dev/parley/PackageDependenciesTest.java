package dev.parley;

import static java.util.Comparator.comparing;
import static java.util.Comparator.comparingInt;
import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Package cycles and breaches of the layering fail the build; the JDK's jdeps finds them. */
class PackageDependenciesTest {

  /** The layering, one rule a line: {@code from} (or a subpackage) must not use {@code to}. */
  static final List<Rule> FORBIDDEN =
      List.of(
          new Rule("dev.parley.ops", "dev.parley.chat"), // ops observes every endpoint alike
          new Rule("dev.parley.session", "dev.parley.chat"), // sessions are what chat builds on
          new Rule("dev.parley.session", "dev.parley.cluster"), // clustering sits on sessions
          new Rule("dev.parley.session", "dev.parley.ops"), // callers report to ops, not sessions
          new Rule("dev.parley.session", "dev.parley.hub"), // the hub builds on sessions
          // endpoints -> chat protocol -> hub -> broker: the hub knows no protocol or endpoint
          new Rule("dev.parley.hub", "dev.parley.chat"),
          new Rule("dev.parley.hub", "dev.parley.ops"),
          // the Redis broker is chosen at the edge: nothing but its producer names it
          new Rule("dev.parley.hub", "dev.parley.cluster"),
          new Rule("dev.parley.chat", "dev.parley.cluster"),
          new Rule("dev.parley.chat", "dev.parley.stream"), // a transport of chat, like endpoints
          new Rule("dev.parley.cluster", "dev.parley.chat"),
          // what the server says on the wire depends on nothing of Parley's
          new Rule("dev.parley.message", "dev.parley.hub"),
          new Rule("dev.parley.message", "dev.parley.chat"),
          new Rule("dev.parley.auth", "dev.parley.chat"), // chat asks auth, never the other way
          new Rule("dev.parley.auth", "dev.parley.stream"),
          // pushing latest values knows nothing of what they are or who publishes them
          new Rule("dev.parley.push", "dev.parley.ops"),
          new Rule("dev.parley.push", "dev.parley.hub"),
          new Rule("dev.parley.push", "dev.parley.chat"));

  record Rule(String from, String to) {
    boolean forbids(List<String> pair) {
      return (pair.get(0) + ".").startsWith(from + ".") && (pair.get(1) + ".").startsWith(to + ".");
    }
  }

  // Only the dependencies on our own classes (-e), between packages (-filter:package); the library
  // jars are not on the jdeps class path, and --ignore-missing-deps keeps that from failing it
  private static final String JDEPS_OPTIONS =
      "-q --multi-release 17 --ignore-missing-deps -verbose:class -filter:package -e dev\\.parley\\..*";
  // A line of its output, "   dev.parley.a.B$C   -> dev.parley.d.E   classes": the packages
  // and the top-level classes (nested ones move with theirs) at both ends
  private static final Pattern LINE =
      Pattern.compile(
          "(?m)^\\s+(dev\\.parley[\\w.]*)\\.(\\w+)\\S*\\s+->\\s+(dev\\.parley[\\w.]*)\\.(\\w+)");

  /** [from package, to package] to its class edges, such as "ChatService -> Metrics". */
  private static final Map<List<String>, Set<String>> uses =
      new TreeMap<>(comparing(List::toString));

  @BeforeAll
  static void readDependencies() throws Exception {
    // Where Settings was loaded from: the main classes directory, wherever the build puts it
    Path classes =
        Path.of(Settings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> args = new ArrayList<>(List.of(JDEPS_OPTIONS.split(" ")));
    args.add(classes.toString());
    StringWriter out = new StringWriter();
    PrintWriter print = new PrintWriter(out, true);
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    int status = jdeps.run(print, print, args.toArray(String[]::new));
    assertEquals(0, status, () -> "jdeps failed:\n" + out);
    for (Matcher m = LINE.matcher(out.toString()); m.find(); ) {
      uses.computeIfAbsent(List.of(m.group(1), m.group(3)), pair -> new TreeSet<>())
          .add(m.group(2) + " -> " + m.group(4));
    }
    // A change in the jdeps output format must not turn into a silent pass
    assertFalse(uses.isEmpty(), () -> "no dependencies read from jdeps:\n" + out);
  }

  @Test
  void packagesHaveNoCycles() {
    StringBuilder failure = new StringBuilder();
    cycles(uses.keySet()).forEach(cycle -> failure.append(describe(cycle)));
    assertTrue(failure.isEmpty(), () -> "Package dependency cycles:" + failure + "\n");
  }

  @Test
  void noPackageUsesOneItMustNot() {
    String broken =
        uses.keySet().stream()
            .filter(pair -> FORBIDDEN.stream().anyMatch(rule -> rule.forbids(pair)))
            .map(pair -> "\n" + String.join(" must not use ", pair) + ": " + uses.get(pair))
            .collect(joining());
    assertTrue(
        broken.isEmpty(), () -> "Forbidden dependencies (FORBIDDEN says why):" + broken + "\n");
  }

  @Test
  void cyclesAreThePackagesThatReachOneAnother() {
    assertEquals(List.of(), cycles(arcs("a>b a>c b>c c>d")));
    assertEquals(
        List.of(Set.of("a", "b", "c"), Set.of("x", "y")),
        cycles(arcs("a>b b>c c>a b>x x>y y>x y>z")));
  }

  private static List<List<String>> arcs(String arcs) {
    return List.of(arcs.split(" ")).stream().map(arc -> List.of(arc.split(">"))).toList();
  }

  /** The strongly connected components of two or more nodes: each one is a cycle to break. */
  static List<Set<String>> cycles(Collection<List<String>> arcs) {
    Map<String, Set<String>> reach = new TreeMap<>();
    arcs.forEach(arc -> reach.computeIfAbsent(arc.get(0), node -> new TreeSet<>()).add(arc.get(1)));
    // The transitive closure: each round adds at least one more step to every path
    for (int round = 0; round < reach.size(); round++) {
      for (Set<String> reached : reach.values()) {
        List.copyOf(reached).forEach(next -> reached.addAll(reach.getOrDefault(next, Set.of())));
      }
    }
    List<Set<String>> cycles = new ArrayList<>();
    for (String node : reach.keySet()) {
      Set<String> component = new TreeSet<>(reach.get(node));
      component.removeIf(other -> !reach.getOrDefault(other, Set.of()).contains(node));
      if (component.size() > 1 && !cycles.contains(component)) {
        cycles.add(component);
      }
    }
    return cycles;
  }

  /** The packages, then the class edges per direction: the fewest, likeliest to move, first. */
  private static String describe(Set<String> cycle) {
    StringBuilder text = new StringBuilder("\n\nCycle among " + String.join(", ", cycle));
    List<List<String>> inside = uses.keySet().stream().filter(cycle::containsAll).toList();
    for (List<String> pair :
        inside.stream().sorted(comparingInt(pair -> uses.get(pair).size())).toList()) {
      boolean back = inside.contains(List.of(pair.get(1), pair.get(0)));
      text.append("\n  " + String.join(" -> ", pair) + (back ? " (two-way):" : ":"));
      uses.get(pair).forEach(edge -> text.append("\n      " + edge));
    }
    return text.toString();
  }
}
