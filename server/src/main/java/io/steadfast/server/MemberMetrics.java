package io.steadfast.server;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steadfast.api.Health;
import io.steadfast.api.role.Role;
import io.steadfast.runtime.ConfigurationException;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.SteadfastNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.ToDoubleFunction;

/**
 * A member's metrics in Prometheus's text format at {@code GET /metrics} on {@code metrics.bind}:
 * role (one gauge per role, 1 for the current), epoch, applied and commit index, apply lag, journal
 * start, last checkpoint, open sessions, application health (1 when UP), exit-point overruns,
 * application faults, skipped entries, role changes by target role and reason, the JVM's memory,
 * GC, threads and CPU, and the histograms and counters the node itself records (requests per
 * journal entry, commit latency, exit-point durations, checkpoint writes and sizes, primary
 * changes, hand-overs). The member's status is read at most once a second for all gauges.
 *
 * <p>The port serves metrics only, unauthenticated; it must therefore be a loopback address (a
 * scraping agent on the same host), unless the member was told {@code security.insecure}.
 */
final class MemberMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final SteadfastNode<?, ?> node;
  private final HttpServer server;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile NodeStatus status;
  private volatile long readAt;

  MemberMetrics(SteadfastNode<?, ?> node, PrometheusMeterRegistry registry, InetSocketAddress bind)
      throws IOException {
    this.node = node;
    this.registry = registry;
    this.status = node.status();
    this.readAt = System.nanoTime();
    String id = node.id().value();
    for (Role role : Role.values()) {
      register(
          gauge("steadfast.role", "1 for the member's current role", s -> s.role() == role ? 1 : 0)
              .tag("role", role.name()),
          id);
    }
    register(gauge("steadfast.epoch", "the epoch the member is in", NodeStatus::epoch), id);
    register(
        gauge("steadfast.applied.index", "last journal index applied", NodeStatus::appliedIndex),
        id);
    register(
        gauge("steadfast.commit.index", "journal index known committed", NodeStatus::commitIndex),
        id);
    register(
        gauge("steadfast.apply.lag", "committed but not yet applied", NodeStatus::applyLag), id);
    register(
        gauge(
            "steadfast.journal.start.index",
            "first journal index still kept",
            NodeStatus::journalStartIndex),
        id);
    register(
        gauge(
            "steadfast.checkpoint.index",
            "journal index of the newest checkpoint",
            NodeStatus::lastCheckpointIndex),
        id);
    register(gauge("steadfast.sessions.open", "open sessions", NodeStatus::openSessions), id);
    register(
        gauge(
            "steadfast.health.up",
            "1 when the application reports UP",
            s -> s.health().status() == Health.Status.UP ? 1 : 0),
        id);
    register(
        gauge("steadfast.exitpoint.overruns", "exit-point calls over budget", NodeStatus::overruns),
        id);
    register(
        gauge(
            "steadfast.application.faults",
            "apply calls that threw an Error",
            NodeStatus::applicationFaults),
        id);
    register(
        gauge(
            "steadfast.journal.skipped",
            "journal entries skipped as unreadable",
            NodeStatus::skippedEntries),
        id);
    register(
        gauge(
            "steadfast.storage.repairs",
            "repairs made to the member's storage at its last start",
            s -> s.storageRepairs().size()),
        id);
    node.addRoleListener(
        change ->
            Counter.builder("steadfast.role.changes")
                .description("role changes of this member")
                .tag("node", id)
                .tag("to", change.to().name())
                .tag("reason", change.reason().name())
                .register(registry)
                .increment());
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.server = HttpServer.create(bind, 16);
    server.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            boolean get = "GET".equals(exchange.getRequestMethod());
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(get ? 200 : 405, get ? body.length : -1);
            if (get) {
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            }
          }
        });
    server.start();
  }

  /** Refuses an address beyond loopback unless the member was told insecure. */
  static void check(InetSocketAddress bind, boolean insecure) {
    if (!insecure && (bind.getAddress() == null || !bind.getAddress().isLoopbackAddress())) {
      throw new ConfigurationException(
          "metrics.bind",
          "metrics are served unauthenticated, so only on loopback (a scraper on the same host): "
              + bind);
    }
  }

  /**
   * Serves {@code registry} (which the node was built with, so that it holds the node's own meters
   * too) at {@code bind}, already checked with {@link #check}.
   */
  static MemberMetrics start(
      SteadfastNode<?, ?> node, PrometheusMeterRegistry registry, InetSocketAddress bind) {
    try {
      return new MemberMetrics(node, registry, bind);
    } catch (IOException e) {
      throw new ConfigurationException(
          "metrics.bind", "cannot listen on " + bind + ": " + e.getMessage());
    }
  }

  /** The port metrics are served on. */
  int port() {
    return server.getAddress().getPort();
  }

  private Gauge.Builder<MemberMetrics> gauge(
      String name, String description, ToDoubleFunction<NodeStatus> value) {
    return Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.current()))
        .description(description);
  }

  private void register(Gauge.Builder<MemberMetrics> gauge, String id) {
    gauge.tag("node", id).register(registry);
  }

  /** The member's status, read again when the last reading is older than a second. */
  private NodeStatus current() {
    long now = System.nanoTime();
    if (now - readAt > 1_000_000_000L) {
      status = node.status();
      readAt = now;
    }
    return status;
  }

  @Override
  public void close() {
    server.stop(0);
    gc.close();
    registry.close();
  }
}
