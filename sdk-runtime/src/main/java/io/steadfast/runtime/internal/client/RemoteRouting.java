package io.steadfast.runtime.internal.client;

import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.node.HttpEndpoint;
import io.steadfast.runtime.internal.node.SessionView;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Routes a remote client's requests over HTTP to the members' {@link HttpEndpoint}s: starts at any
 * member, follows the primary a refusing node names, and moves on to the next member when one is
 * down.
 *
 * <p>Thread-safe.
 */
public final class RemoteRouting<C, R> implements Routing<C, R> {

  private final List<NodeId> order;
  private final Map<NodeId, URI> members;
  private final HttpClient http;
  private final Duration attempt;
  private volatile int current;

  public RemoteRouting(Map<NodeId, URI> members, Duration attempt) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a remote client needs at least one member");
    }
    this.members = Map.copyOf(members);
    this.order = members.keySet().stream().sorted().toList();
    this.attempt = attempt;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  }

  private NodeId target() {
    return order.get(Math.floorMod(current, order.size()));
  }

  @Override
  public CompletableFuture<Outcome> send(Request request) {
    NodeId node = target();
    HttpRequest post =
        HttpRequest.newBuilder(endpoint(node).resolve("/steadfast/v1/requests"))
            .timeout(attempt)
            .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(request)))
            .build();
    return http.sendAsync(post, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() == 200) {
                try {
                  return WireFormat.decodeOutcome(response.body());
                } catch (IOException e) {
                  throw new SteadfastException("unreadable outcome from " + node, e);
                }
              }
              throw refusal(node, response);
            });
  }

  @Override
  public SessionView readSession(SessionId session, boolean attach) {
    NodeId node = target();
    HttpRequest get =
        HttpRequest.newBuilder(
                endpoint(node)
                    .resolve(
                        "/steadfast/v1/sessions/"
                            + session.value()
                            + (attach ? "?attach=true" : "")))
            .timeout(attempt)
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new SteadfastException("node " + node + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SteadfastException("interrupted reading session " + session, e);
    }
    if (response.statusCode() != 200) {
      throw refusal(node, response);
    }
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(response.body()));
      return new SessionView(
          SessionView.State.values()[in.readByte()], in.readLong(), WireFormat.readResumePoint(in));
    } catch (IOException | RuntimeException e) {
      throw new SteadfastException("unreadable session record from " + node, e);
    }
  }

  private static RuntimeException refusal(NodeId node, HttpResponse<byte[]> response) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    switch (response.statusCode()) {
      case 421 -> {
        NodeId suggested =
            response.headers().firstValue(HttpEndpoint.PRIMARY_HEADER).map(NodeId::of).orElse(null);
        return new NotPrimaryException(node, suggested);
      }
      case 403 -> {
        String[] lines = body.split("\n", -1);
        return new NotAuthorizedException(
            lines[0],
            lines.length > 1 ? lines[1] : "?",
            lines.length > 2 && !lines[2].isEmpty()
                ? new HashSet<>(Arrays.asList(lines[2].split(",")))
                : java.util.Set.of());
      }
      case 400 -> {
        return new MalformedCommandException(body);
      }
      default -> {
        return new SteadfastException(
            "node " + node + " answered " + response.statusCode() + ": " + body);
      }
    }
  }

  @Override
  public boolean redirect(NotPrimaryException refusal) {
    if (refusal.suggestedPrimary().isPresent()
        && members.containsKey(refusal.suggestedPrimary().get())) {
      current = order.indexOf(refusal.suggestedPrimary().get());
    } else {
      moveToNext();
    }
    return true;
  }

  @Override
  public void failed(Throwable cause) {
    Throwable root =
        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof NotPrimaryException notPrimary) {
      redirect(notPrimary);
    } else {
      moveToNext();
    }
  }

  /** The endpoint of a member of {@link #order} (always one of {@link #members}). */
  private URI endpoint(NodeId node) {
    return java.util.Objects.requireNonNull(members.get(node), "member endpoint");
  }

  /** Moves to the next member; races between callers only skip or repeat a member. */
  private synchronized void moveToNext() {
    current = current + 1;
  }
}
