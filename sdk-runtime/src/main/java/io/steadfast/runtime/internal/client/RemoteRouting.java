package io.steadfast.runtime.internal.client;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.SessionId;
import io.steadfast.api.session.SessionLimitException;
import io.steadfast.api.session.UnknownSessionException;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.node.Access;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

  /** The members known now, and their order; replaced whole when the membership is learned. */
  private volatile Directory directory;

  private final HttpClient http;
  private final Access access;
  private final Duration attempt;
  private volatile int current;

  /**
   * Guards the three fields below and serializes {@link #primaryMoved}, which waits on the network
   * (up to 300 ms per member) while holding it: a lock rather than this object's monitor, so the
   * wait neither blocks the routing's other updates nor pins a virtual thread's carrier on JDK 21
   * to 23.
   */
  private final java.util.concurrent.locks.ReentrantLock movedLock =
      new java.util.concurrent.locks.ReentrantLock();

  /** When the other members were last asked who is primary (nanoTime), and what was found. */
  private long movedCheckedAt;

  private boolean movedLastAnswer;

  private boolean movedChecked;

  /** How often the other members may be asked who is primary, for all sessions together. */
  private static final long MOVED_CHECK_EVERY_NANOS = Duration.ofMillis(100).toNanos();

  /**
   * @param members each member's endpoint, with the scheme {@code access} implies
   * @param attempt how long one attempt may take
   * @param access TLS and headers for every request
   */
  public RemoteRouting(Map<NodeId, URI> members, Duration attempt, Access access) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a remote client needs at least one member");
    }
    members.forEach(
        (id, uri) -> {
          if (!access.scheme().equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                "endpoint of "
                    + id
                    + " must be an "
                    + access.scheme()
                    + " URI"
                    + (access.tls() == null ? " (no TLS configured)" : " (TLS configured)")
                    + ": "
                    + uri);
          }
        });
    this.directory = new Directory(members);
    this.attempt = attempt;
    this.access = access;
    this.http = access.client(Duration.ofSeconds(1));
  }

  /** The members known at one moment: each one's endpoint, and their order for trying them. */
  private record Directory(Map<NodeId, URI> members, List<NodeId> order) {
    Directory(Map<NodeId, URI> members) {
      this(Map.copyOf(members), members.keySet().stream().sorted().toList());
    }
  }

  /**
   * When the membership was last asked for (nanoTime), so that it is asked at most every second.
   */
  private long learnedAt;

  private boolean learning;

  private static final long LEARN_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

  /** The most members a membership answer may list; more is refused as malformed. */
  static final int MAX_MEMBERS = 64;

  private NodeId target() {
    List<NodeId> order = directory.order();
    return order.get(Math.floorMod(current, order.size()));
  }

  /** The members this client knows now, by id (for tests and diagnostics). */
  public Map<NodeId, URI> members() {
    return directory.members();
  }

  /**
   * Asks a member for the membership in force ({@code GET /steadfast/v1/members}), in the
   * background, and uses the answer from then on: members added since the client was built become
   * reachable, removed ones are no longer tried. At most once a second; members that serve no
   * endpoint of this client's scheme are left out, and an answer with none is ignored.
   */
  public void learnMembers() {
    NodeId from;
    synchronized (this) {
      long now = System.nanoTime();
      if (learning || (learnedAt != 0 && now - learnedAt < LEARN_EVERY_NANOS)) {
        return;
      }
      learning = true;
      learnedAt = now;
      from = target();
    }
    learnFrom(from, directory.order().size());
  }

  private void learnFrom(NodeId node, int triesLeft) {
    HttpRequest get =
        access
            .sign(HttpRequest.newBuilder(endpoint(node).resolve("/steadfast/v1/members")))
            .timeout(attempt)
            .GET()
            .build();
    var unused =
        http.sendAsync(get, HttpResponse.BodyHandlers.ofByteArray())
            .handle(
                (response, error) -> {
                  Map<NodeId, URI> learned =
                      error == null && response.statusCode() == 200
                          ? parseMembers(response.body())
                          : null;
                  if (learned != null && !learned.isEmpty()) {
                    adopt(learned);
                  } else if (triesLeft > 1) {
                    List<NodeId> order = directory.order();
                    learnFrom(
                        order.get(Math.floorMod(order.indexOf(node) + 1, order.size())),
                        triesLeft - 1);
                    return null;
                  }
                  synchronized (this) {
                    learning = false;
                  }
                  return null;
                });
  }

  private synchronized void adopt(Map<NodeId, URI> learned) {
    if (learned.equals(directory.members())) {
      return;
    }
    NodeId target = target();
    Directory next = new Directory(learned);
    directory = next;
    int index = next.order().indexOf(target);
    current = index >= 0 ? index : 0;
  }

  /**
   * The members of a {@code /members} answer with an endpoint of this client's scheme; null if
   * unreadable.
   */
  @org.jspecify.annotations.Nullable
  Map<NodeId, URI> parseMembers(byte[] body) {
    try {
      Map<String, Object> json = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
      List<Object> list = JSONObjectUtils.getJSONArray(json, "members");
      if (list == null || list.size() > MAX_MEMBERS) {
        return null;
      }
      Map<NodeId, URI> learned = new java.util.TreeMap<>();
      for (Object entry : list) {
        if (!(entry instanceof Map<?, ?> member)
            || !(member.get("id") instanceof String id)
            || !(member.get("endpoint") instanceof String endpoint)) {
          continue;
        }
        URI uri = URI.create(endpoint);
        if (access.scheme().equals(uri.getScheme()) && uri.getHost() != null) {
          learned.put(NodeId.of(id), uri);
        }
      }
      return learned;
    } catch (java.text.ParseException | IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  /**
   * The threads that carry commands. The JDK's {@code HttpClient.sendAsync} completes every answer
   * through {@code CompletableFuture}'s default executor, which starts a new thread per answer
   * where the common fork-join pool has fewer than two threads (two CPUs or fewer): on a two-core
   * front-end that was most of the client's CPU. A blocking {@code send} on a pooled thread takes
   * no such step. Daemon threads, made on demand up to {@value #MAX_SENDERS} and ended after 30 s
   * idle; beyond that many commands in flight at once, a command goes by {@code sendAsync}.
   */
  private static final java.util.concurrent.ThreadPoolExecutor SENDERS = senders();

  /** The most threads carrying commands at once, for all remote clients of this JVM. */
  static final int MAX_SENDERS = 512;

  private static java.util.concurrent.ThreadPoolExecutor senders() {
    java.util.concurrent.atomic.AtomicLong made = new java.util.concurrent.atomic.AtomicLong();
    return new java.util.concurrent.ThreadPoolExecutor(
        0,
        MAX_SENDERS,
        30,
        java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(),
        task -> {
          Thread thread = new Thread(task, "steadfast-client-send-" + made.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  public CompletableFuture<Outcome> send(Request request) {
    NodeId node = target();
    HttpRequest post =
        access
            .sign(HttpRequest.newBuilder(endpoint(node).resolve("/steadfast/v1/requests")))
            .timeout(attempt)
            .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(request)))
            .build();
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    try {
      SENDERS.execute(
          () -> {
            try {
              result.complete(
                  outcome(node, http.send(post, HttpResponse.BodyHandlers.ofByteArray())));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              result.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException busy) {
      return http.sendAsync(post, HttpResponse.BodyHandlers.ofByteArray())
          .thenApply(response -> outcome(node, response));
    }
    return result;
  }

  /** The outcome an answer carries, or the refusal it states. */
  private static Outcome outcome(NodeId node, HttpResponse<byte[]> response) {
    if (response.statusCode() == 200) {
      try {
        return WireFormat.decodeOutcome(response.body());
      } catch (IOException e) {
        throw new SteadfastException("unreadable outcome from " + node, e);
      }
    }
    throw refusal(node, response);
  }

  @Override
  public byte[] query(byte[] query) {
    return postQuery(target(), "/steadfast/v1/query", query);
  }

  /**
   * Tries each member once, beginning after the one believed primary (so backups answer first), and
   * answers the first reply; refusals that another member would repeat (authentication,
   * authorization, malformed) end the round at once.
   */
  @Override
  public byte[] queryStale(byte[] query) {
    int from = current + 1;
    RuntimeException last = null;
    List<NodeId> order = directory.order();
    for (int i = 0; i < order.size(); i++) {
      NodeId node = order.get(Math.floorMod(from + i, order.size()));
      try {
        return postQuery(node, "/steadfast/v1/query?consistency=stale", query);
      } catch (NotAuthenticatedException | NotAuthorizedException | MalformedCommandException e) {
        throw e;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw java.util.Objects.requireNonNull(last, "no members");
  }

  private byte[] postQuery(NodeId node, String path, byte[] query) {
    HttpRequest post =
        access
            .sign(HttpRequest.newBuilder(endpoint(node).resolve(path)))
            .timeout(attempt)
            .POST(HttpRequest.BodyPublishers.ofByteArray(query))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new SteadfastException("node " + node + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SteadfastException("interrupted querying " + node, e);
    }
    if (response.statusCode() != 200) {
      throw refusal(node, response);
    }
    return response.body();
  }

  @Override
  public SessionView readSession(SessionId session, boolean attach) {
    NodeId node = target();
    HttpRequest get =
        access
            .sign(
                HttpRequest.newBuilder(
                    endpoint(node)
                        .resolve(
                            "/steadfast/v1/sessions/"
                                + java.net.URLEncoder.encode(
                                    session.value(), StandardCharsets.UTF_8)
                                + (attach ? "?attach=true" : ""))))
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
          SessionView.State.values()[in.readByte()],
          in.readLong(),
          WireFormat.readResumePoint(in),
          "");
    } catch (IOException | RuntimeException e) {
      throw new SteadfastException("unreadable session record from " + node, e);
    }
  }

  /** The typed exception a refusal stands for, read from its JSON body. */
  static RuntimeException refusal(NodeId node, HttpResponse<byte[]> response) {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    Map<String, Object> body;
    try {
      body = text.isEmpty() ? Map.of() : JSONObjectUtils.parse(text, 64 * 1024);
    } catch (java.text.ParseException e) {
      body = Map.of();
    }
    String message = String.valueOf(body.getOrDefault("message", text));
    switch (response.statusCode()) {
      case 421 -> {
        NodeId suggested =
            response.headers().firstValue(HttpEndpoint.PRIMARY_HEADER).map(NodeId::of).orElse(null);
        return new NotPrimaryException(node, suggested);
      }
      case 401 -> {
        return new NotAuthenticatedException("node " + node + ": " + message);
      }
      case 403 -> {
        Set<String> roles = new TreeSet<>();
        if (body.get("requiredRoles") instanceof List<?> list) {
          list.forEach(role -> roles.add(String.valueOf(role)));
        }
        return new NotAuthorizedException(
            String.valueOf(body.getOrDefault("user", "?")),
            String.valueOf(body.getOrDefault("what", "?")),
            roles,
            message);
      }
      case 404 -> {
        if ("unknown_session".equals(body.get("error"))) {
          return new UnknownSessionException(
              SessionId.of(String.valueOf(body.getOrDefault("session", "?"))));
        }
        return new SteadfastException("node " + node + " answered 404: " + message);
      }
      case 409 -> {
        return new SessionLimitException(
            SessionId.of(String.valueOf(body.getOrDefault("session", "?"))), message);
      }
      case 400, 413 -> {
        return new MalformedCommandException(message);
      }
      default -> {
        return new SteadfastException(
            "node " + node + " answered " + response.statusCode() + ": " + message);
      }
    }
  }

  @Override
  public boolean redirect(NotPrimaryException refusal) {
    Directory known = directory;
    if (refusal.suggestedPrimary().isPresent()
        && known.members().containsKey(refusal.suggestedPrimary().get())) {
      current = known.order().indexOf(refusal.suggestedPrimary().get());
    } else {
      if (refusal.suggestedPrimary().isPresent()) {
        // A primary this client has not heard of: the membership changed.
        learnMembers();
      }
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

  /**
   * Asks each member other than the current target whether it is the ready primary ({@code GET
   * /steadfast/v1/primary}, 200 only there); the first that is becomes the target. Answers from the
   * last 100 ms are reused, so many waiting sessions cost the members a few requests a second.
   */
  @Override
  public boolean primaryMoved() {
    movedLock.lock();
    try {
      long now = System.nanoTime();
      if (movedChecked && now - movedCheckedAt < MOVED_CHECK_EVERY_NANOS) {
        return movedLastAnswer;
      }
      movedChecked = true;
      movedCheckedAt = now;
      movedLastAnswer = false;
      NodeId target = target();
      List<NodeId> order = directory.order();
      for (NodeId other : order) {
        if (other.equals(target)) {
          continue;
        }
        HttpRequest probe =
            access
                .sign(HttpRequest.newBuilder(endpoint(other).resolve("/steadfast/v1/primary")))
                .timeout(Duration.ofMillis(300))
                .GET()
                .build();
        try {
          if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            current = order.indexOf(other);
            movedLastAnswer = true;
            return true;
          }
        } catch (IOException e) {
          // that member is down or slow: ask the next
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    } finally {
      movedLock.unlock();
    }
  }

  /** The endpoint of a known member (or of one known a moment ago: a removed member's stays). */
  private URI endpoint(NodeId node) {
    URI uri = directory.members().get(node);
    if (uri == null) {
      uri = directory.members().values().iterator().next();
    }
    return uri;
  }

  /**
   * Moves to the next member; races between callers only skip or repeat a member. After a full
   * round without an answer the membership is asked for afresh: members may have been replaced.
   */
  private synchronized void moveToNext() {
    current = current + 1;
    if (Math.floorMod(current, directory.order().size()) == 0) {
      learnMembers();
    }
  }
}
