package io.steadfast.runtime.internal.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HTTP endpoint for remote clients and load balancers.
 *
 * <ul>
 *   <li>{@code POST /steadfast/v1/requests}: one session request (binary); answers its outcome, or
 *       421 with header {@value #PRIMARY_HEADER} naming the primary when this node is not it.
 *   <li>{@code GET /steadfast/v1/sessions/{id}}: a session's replicated record (binary).
 *   <li>{@code GET /steadfast/v1/primary}: 200 only on the ready primary, 503 elsewhere — point a
 *       load balancer's health check here (the modern form of moving the service address).
 *   <li>{@code GET /steadfast/v1/status}: the node's status as text.
 * </ul>
 *
 * <p>Refusals: 403 not authorized (body: user, command type, roles, one per line), 400 malformed,
 * 503 anything else (retry).
 */
public final class HttpEndpoint implements AutoCloseable {

  public static final String PRIMARY_HEADER = "Steadfast-Primary";
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

  private final NodeGateway<?, ?> node;
  private final HttpServer server;
  private final ExecutorService executor;

  public HttpEndpoint(NodeGateway<?, ?> node, InetSocketAddress address) throws IOException {
    this.node = node;
    this.server = HttpServer.create(address, 64);
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "steadfast-http-" + node.id());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/steadfast/v1/requests", this::request);
    server.createContext("/steadfast/v1/sessions/", this::session);
    server.createContext("/steadfast/v1/primary", this::primary);
    server.createContext("/steadfast/v1/status", this::status);
    server.createContext("/steadfast/v1/checkpoint", this::checkpoint);
    server.start();
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void request(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, text("use POST"));
        return;
      }
      Request request;
      try (InputStream body = exchange.getRequestBody()) {
        request = WireFormat.decodeRequest(body.readAllBytes());
      } catch (IOException | IllegalArgumentException e) {
        reply(exchange, 400, text("unreadable request: " + e.getMessage()));
        return;
      }
      try {
        Outcome outcome = node.submit(request).get(30, TimeUnit.SECONDS);
        reply(exchange, 200, WireFormat.encodeOutcome(outcome));
      } catch (ExecutionException e) {
        refuse(exchange, e.getCause() == null ? e : e.getCause());
      } catch (TimeoutException e) {
        reply(exchange, 503, text("no outcome within 30 s"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(exchange, 503, text("interrupted"));
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: request failed", node.id(), e);
    }
  }

  private void session(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String id = path.substring(path.lastIndexOf('/') + 1);
      try {
        String query = exchange.getRequestURI().getQuery();
        SessionView view =
            node.readSession(SessionId.of(id), query != null && query.contains("attach=true"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          out.writeByte(view.state().ordinal());
          out.writeLong(view.lastSequence());
          WireFormat.writeResumePoint(out, view.resumePoint());
        }
        reply(exchange, 200, bytes.toByteArray());
      } catch (IllegalArgumentException e) {
        reply(exchange, 400, text(e.getMessage()));
      } catch (RuntimeException e) {
        refuse(exchange, e);
      }
    }
  }

  private void primary(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean primary = node.isPrimary();
      reply(
          exchange, primary ? 200 : 503, text((primary ? "primary " : "not primary ") + node.id()));
    }
  }

  private void status(HttpExchange exchange) throws IOException {
    try (exchange) {
      reply(exchange, 200, text(node.statusText()));
    }
  }

  private void checkpoint(HttpExchange exchange) throws IOException {
    try (exchange) {
      java.util.Optional<java.nio.file.Path> newest = node.newestCheckpoint();
      if (newest.isEmpty() || !java.nio.file.Files.exists(newest.get())) {
        reply(exchange, 404, text("no checkpoint on " + node.id()));
        return;
      }
      java.nio.file.Path file = newest.get();
      try (InputStream in = java.nio.file.Files.newInputStream(file)) {
        exchange
            .getResponseHeaders()
            .add(PeerCheckpoints.NAME_HEADER, file.getFileName().toString());
        exchange.sendResponseHeaders(200, java.nio.file.Files.size(file));
        try (OutputStream out = exchange.getResponseBody()) {
          in.transferTo(out);
        }
      }
    }
  }

  private void refuse(HttpExchange exchange, Throwable cause) throws IOException {
    if (cause instanceof NotPrimaryException notPrimary) {
      notPrimary
          .suggestedPrimary()
          .ifPresent(p -> exchange.getResponseHeaders().add(PRIMARY_HEADER, p.value()));
      reply(exchange, 421, text(notPrimary.getMessage()));
    } else if (cause instanceof NotAuthorizedException refused) {
      reply(
          exchange,
          403,
          text(
              refused.user()
                  + "\n"
                  + refused.commandType()
                  + "\n"
                  + String.join(",", refused.requiredRoles())));
    } else if (cause instanceof MalformedCommandException malformed) {
      reply(exchange, 400, text(malformed.getMessage()));
    } else if (cause instanceof SteadfastException steadfast) {
      reply(exchange, 503, text(steadfast.getMessage()));
    } else {
      reply(exchange, 503, text(String.valueOf(cause)));
    }
  }

  private static byte[] text(@Nullable String message) {
    return (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
