package dev.parley.ops;

import dev.parley.hub.Hub;
import dev.parley.message.ErrorCode;
import dev.parley.session.OutboxEvents;
import dev.parley.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;

/**
 * What Parley counts, in one Micrometer registry scraped at {@code /metrics}. Names follow
 * Prometheus conventions: {@code parley_messages_received_total}, {@code
 * parley_errors_total{code}}…
 */
@ApplicationScoped
public class Metrics implements OutboxEvents {

  /** The two endpoints, as the {@code endpoint} tag. */
  public static final String ECHO = "echo";

  public static final String CHAT = "chat";

  /** The operations feed, {@code /feed/metrics}, as the {@code endpoint} tag. */
  public static final String FEED = "feed";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, EndpointMeters> endpoints;
  private final Counter slowConsumers;
  private final Counter sendTimeouts;
  private final Counter rateLimited;
  private final Timer fanOut;
  private final Counter feedSkipped;

  @Inject
  public Metrics(SessionRegistry sessions, Hub hub) {
    Gauge.builder("parley.sessions.open", sessions, SessionRegistry::echoSessionCount)
        .tag("endpoint", ECHO)
        .description("Open connections")
        .register(registry);
    Gauge.builder("parley.sessions.open", hub, Hub::memberCount)
        .tag("endpoint", CHAT)
        .description("Open connections")
        .register(registry);
    Gauge.builder("parley.sessions.open", sessions, SessionRegistry::feedSessionCount)
        .tag("endpoint", FEED)
        .description("Open connections")
        .register(registry);
    Gauge.builder("parley.rooms", hub, Hub::roomCount)
        .description("Rooms with at least one member")
        .register(registry);
    endpoints =
        Map.of(ECHO, new EndpointMeters(ECHO, registry), CHAT, new EndpointMeters(CHAT, registry));
    slowConsumers =
        Counter.builder("parley.slow.consumers.dropped")
            .description("Connections closed with 1013 for reading too slowly")
            .register(registry);
    sendTimeouts =
        Counter.builder("parley.send.timeouts")
            .description("Connections closed with 1011: a send not completed within the timeout")
            .register(registry);
    rateLimited =
        Counter.builder("parley.rate.limited")
            .description("Frames refused with rate-limited")
            .register(registry);
    fanOut =
        Timer.builder("parley.broadcast.fanout")
            .description("Time to number, store and queue one message for every member of its room")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofSeconds(1))
            .register(registry);
    feedSkipped =
        Counter.builder("parley.feed.snapshots.skipped")
            .description("Feed snapshots a slow subscriber skipped: a newer one replaced them")
            .register(registry);
  }

  /** For CDI's client proxy only. */
  protected Metrics() {
    endpoints = null;
    slowConsumers = null;
    sendTimeouts = null;
    rateLimited = null;
    fanOut = null;
    feedSkipped = null;
  }

  /** A frame arrived on an endpoint; {@code size} in characters or bytes, when known. */
  public void received(String endpoint, int size) {
    EndpointMeters meters = endpoints.get(endpoint);
    meters.received().increment();
    meters.receivedSize().record(size);
  }

  /** A frame arrived on an endpoint. */
  public void received(String endpoint) {
    endpoints.get(endpoint).received().increment();
  }

  /** An echo went back (echo replies do not pass through an outbox). */
  public void echoed(int size) {
    EndpointMeters meters = endpoints.get(ECHO);
    meters.sent().increment();
    meters.sentSize().record(size);
  }

  public void error(ErrorCode code) {
    registry.counter("parley.errors", "code", code.code()).increment();
  }

  public void closed(String endpoint, int closeCode) {
    registry
        .counter("parley.closes", "endpoint", endpoint, "code", String.valueOf(closeCode))
        .increment();
  }

  public void rateLimited() {
    rateLimited.increment();
  }

  /**
   * A handshake refused by authentication: {@code status} 401 (no token, or a refused one) or 403
   * (a room the token does not allow).
   */
  public void authRefused(int status) {
    registry.counter("parley.auth.refused", "status", String.valueOf(status)).increment();
  }

  /** Times one broadcast, from numbering to queued for every member. */
  public Timer fanOut() {
    return fanOut;
  }

  @Override
  public void sent(int chars) {
    EndpointMeters meters = endpoints.get(CHAT);
    meters.sent().increment();
    meters.sentSize().record(chars);
  }

  @Override
  public void slowConsumerDropped() {
    slowConsumers.increment();
  }

  @Override
  public void sendTimedOut() {
    sendTimeouts.increment();
  }

  /** A feed subscriber skipped a snapshot: it was still taking an older one in. */
  public void feedSnapshotSkipped() {
    feedSkipped.increment();
  }

  /** The registry itself, for the operations feed's snapshots. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Everything, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * The meters counted for every frame of one endpoint, registered once: looking a meter up by name
   * and tags on each frame cost more than the rest of Parley's work on an echo.
   */
  private record EndpointMeters(
      Counter received,
      DistributionSummary receivedSize,
      Counter sent,
      DistributionSummary sentSize) {

    EndpointMeters(String endpoint, MeterRegistry registry) {
      this(
          Counter.builder("parley.messages.received").tag("endpoint", endpoint).register(registry),
          size("parley.message.size.received", endpoint, registry),
          Counter.builder("parley.messages.sent").tag("endpoint", endpoint).register(registry),
          size("parley.message.size.sent", endpoint, registry));
    }

    private static DistributionSummary size(String name, String endpoint, MeterRegistry registry) {
      return DistributionSummary.builder(name)
          .description("Characters of a text frame, bytes of a binary one")
          .tag("endpoint", endpoint)
          .register(registry);
    }
  }
}
