package dev.parley.ops.feed;

import dev.parley.hub.Hub;
import dev.parley.ops.Metrics;
import dev.parley.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Takes the live operations feed's snapshots (docs/protocol.md, "Operations feed") from the meters
 * that {@code /metrics} exports: gauges as they are now, counters as what they counted since the
 * previous snapshot. Rates are per second of the time that really passed, so a late tick does not
 * show a spike.
 */
final class Snapshots {

  private static final JsonBuilderFactory JSON =
      JsonProvider.provider().createBuilderFactory(Map.of());

  private final MeterRegistry meters;
  private final SessionRegistry sessions;
  private final Hub hub;
  private final FanOutPercentiles fanOut;

  private long previousNanos;
  private double previousIn;
  private double previousOut;
  private double previousSlow;
  private Map<String, Double> previousCloses;

  Snapshots(Metrics metrics, SessionRegistry sessions, Hub hub) {
    this.meters = metrics.registry();
    this.sessions = sessions;
    this.hub = hub;
    this.fanOut = new FanOutPercentiles(metrics.fanOut());
    // from now on
    fanOut.next();
    previousNanos = System.nanoTime();
    previousIn = received();
    previousOut = sent();
    previousSlow = slowConsumers();
    previousCloses = closes();
  }

  /** The snapshot of the interval ending now, as a feed frame stamped {@code ts}. */
  String take(long ts) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - previousNanos) / 1e9);
    double in = received();
    double out = sent();
    double slow = slowConsumers();
    Map<String, Double> closes = closes();
    Double[] percentiles = fanOut.next();
    SessionRegistry.ChatConnections chat = sessions.chatConnections();

    JsonObjectBuilder closed = JSON.createObjectBuilder();
    new TreeMap<>(closes)
        .forEach(
            (code, count) -> {
              long since = Math.round(count - previousCloses.getOrDefault(code, 0.0));
              if (since > 0) {
                closed.add(code, since);
              }
            });
    JsonObjectBuilder frame =
        JSON.createObjectBuilder()
            .add("type", "snapshot")
            .add("ts", ts)
            .add(
                "sessions",
                JSON.createObjectBuilder()
                    .add("echo", sessions.echoSessionCount())
                    .add("chat", chat.webSocket())
                    .add("sse", chat.eventStream())
                    .add("feed", sessions.feedSessionCount()))
            .add("rooms", hub.roomCount())
            .add("in", rate(in - previousIn, seconds))
            .add("out", rate(out - previousOut, seconds))
            .add("slowConsumers", Math.round(slow - previousSlow))
            .add("closes", closed);
    addMillis(frame, "fanoutP50Ms", percentiles[0]);
    addMillis(frame, "fanoutP99Ms", percentiles[1]);

    previousNanos = now;
    previousIn = in;
    previousOut = out;
    previousSlow = slow;
    previousCloses = closes;
    return frame.build().toString();
  }

  private static double rate(double count, double seconds) {
    return Math.round(count / seconds * 10) / 10.0;
  }

  private static void addMillis(JsonObjectBuilder frame, String name, Double millis) {
    if (millis == null) {
      frame.addNull(name);
    } else {
      frame.add(name, Math.round(millis * 1000) / 1000.0);
    }
  }

  private double received() {
    return sum(meters.find("parley.messages.received").counters());
  }

  private double sent() {
    return sum(meters.find("parley.messages.sent").counters());
  }

  private double slowConsumers() {
    return sum(meters.find("parley.slow.consumers.dropped").counters());
  }

  /** Closes so far by code, whichever endpoint closed them. */
  private Map<String, Double> closes() {
    Map<String, Double> byCode = new HashMap<>();
    for (Counter counter : meters.find("parley.closes").counters()) {
      byCode.merge(counter.getId().getTag("code"), counter.count(), Double::sum);
    }
    return byCode;
  }

  private static double sum(Collection<Counter> counters) {
    return counters.stream().mapToDouble(Counter::count).sum();
  }
}
