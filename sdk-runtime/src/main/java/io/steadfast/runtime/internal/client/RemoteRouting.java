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
import io.steadfast.runtime.internal.node.BatchFormat;
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
import java.util.Collections;
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
  private static final long MOVED_CHECK_EVERY_NANOS = Duration.ofMillis(50).toNanos();

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
   * endpoint of this client's scheme are left out, and an answer with none is ignored. A client
   * given a load balancer's address rather than the members' keeps it (see {@link #adopt}).
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

  /**
   * Uses a learned membership from now on, unless none of the addresses this client has belongs to
   * a member: then they are a gateway to the cluster (a load balancer in front of the members), and
   * a gateway stays. Members behind it may not be reachable from here, and the operator chose to
   * route clients through it.
   */
  synchronized void adopt(Map<NodeId, URI> learned) {
    if (learned.equals(directory.members())
        || Collections.disjoint(directory.members().keySet(), learned.keySet())) {
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
   * The threads that carry commands, for all remote clients of this JVM: each client uses at most
   * {@value #MAX_OUT} per member at a time, and one per request while it talks to a member without
   * the batch route. A blocking {@code send} on a pooled thread, because the JDK's {@code
   * HttpClient.sendAsync} completes every answer through {@code CompletableFuture}'s default
   * executor, which starts a new thread per answer where the common fork-join pool has fewer than
   * two threads (two CPUs or fewer). Daemon threads, made on demand up to {@value #MAX_SENDERS} and
   * ended after 30 s idle.
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

  /**
   * Commands waiting to be carried, oldest first. A session has at most one request out (and one
   * more when it gave up on a member that stopped answering), so this stays within twice the
   * client's open sessions.
   */
  private final java.util.ArrayDeque<Pending> waiting = new java.util.ArrayDeque<>();

  /** Guards {@link #waiting} and {@link #out}. */
  private final java.util.concurrent.locks.ReentrantLock waitingLock =
      new java.util.concurrent.locks.ReentrantLock();

  /** Exchanges of session requests in progress, by member: at most {@value #MAX_OUT} each. */
  private final Map<NodeId, Integer> out = new java.util.HashMap<>();

  /** Members that answered 404 to a batch (an older version): sent one request per exchange. */
  private final Set<NodeId> singleOnly = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The most exchanges of session requests this client has out to one member at once. While they
   * are out, the commands of its other sessions gather and go together in the next: one exchange
   * and one pass through the member's HTTP stack for many commands, and a primary that receives
   * them together puts them in one journal entry. Counted per member, so that exchanges hanging on
   * a member that froze never hold back the requests sent on to the new primary.
   */
  static final int MAX_OUT = 2;

  /** The most requests in one batch ({@link HttpEndpoint#MAX_BATCH} is what a member takes). */
  static final int MAX_BATCH = 32;

  /** The most bytes of requests in one batch (one request over it still goes, alone). */
  static final int MAX_BATCH_BYTES = 256 * 1024;

  /** A request waiting to be carried, and where its outcome goes. */
  private record Pending(byte[] encoded, CompletableFuture<Outcome> result) {}

  /** Requests taken for one exchange with one member. */
  private record Exchange(NodeId node, List<Pending> batch) {}

  /**
   * Queues the request for the next exchange with the member believed primary; the requests of this
   * client's sessions that wait at the same moment go together, up to {@value #MAX_BATCH} in one
   * batch ({@code POST /steadfast/v1/requests/batch}), a lone one by itself ({@code POST
   * /steadfast/v1/requests}). Each request's outcome or refusal is its own, as if it had gone
   * alone.
   */
  @Override
  public CompletableFuture<Outcome> send(Request request) {
    Pending pending = new Pending(WireFormat.encodeRequest(request), new CompletableFuture<>());
    Exchange next;
    waitingLock.lock();
    try {
      waiting.add(pending);
      next = nextExchange(null);
    } finally {
      waitingLock.unlock();
    }
    if (next != null) {
      Exchange first = next;
      try {
        SENDERS.execute(() -> carry(first));
      } catch (java.util.concurrent.RejectedExecutionException busy) {
        Thread extra = new Thread(() -> carry(first), "steadfast-client-send-extra");
        extra.setDaemon(true);
        extra.start();
      }
    }
    return pending.result();
  }

  /**
   * Under {@link #waitingLock}: ends the exchange {@code done} (if any) and takes the next batch
   * for the member believed primary, if anything waits and fewer than {@value #MAX_OUT} exchanges
   * are out to it; null otherwise.
   */
  private @org.jspecify.annotations.Nullable Exchange nextExchange(
      @org.jspecify.annotations.Nullable NodeId done) {
    if (done != null) {
      out.merge(done, -1, (a, b) -> a + b == 0 ? null : a + b);
    }
    NodeId node = target();
    if (waiting.isEmpty() || out.getOrDefault(node, 0) >= MAX_OUT) {
      return null;
    }
    List<Pending> batch = new java.util.ArrayList<>();
    int bytes = 0;
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
      Pending next = waiting.peek();
      if (!batch.isEmpty() && bytes + next.encoded().length > MAX_BATCH_BYTES) {
        break;
      }
      bytes += next.encoded().length;
      batch.add(waiting.poll());
    }
    out.merge(node, 1, Integer::sum);
    return new Exchange(node, batch);
  }

  /** Carries exchanges, this one and then whatever waits, until nothing does. */
  private void carry(Exchange first) {
    Exchange exchange = first;
    while (exchange != null) {
      NodeId node = exchange.node();
      List<Pending> batch = exchange.batch();
      try {
        if (batch.size() == 1) {
          carryOne(node, batch.get(0));
        } else if (singleOnly.contains(node)) {
          carryApart(node, batch);
        } else {
          carryBatch(node, batch);
        }
      } finally {
        waitingLock.lock();
        try {
          exchange = nextExchange(node);
        } finally {
          waitingLock.unlock();
        }
      }
    }
  }

  /**
   * Sends each request in an exchange of its own, at the same time, on pooled threads (inline where
   * the pool is full), and returns once all are answered.
   */
  private void carryApart(NodeId node, List<Pending> batch) {
    for (Pending pending : batch.subList(1, batch.size())) {
      try {
        SENDERS.execute(() -> carryOne(node, pending));
      } catch (java.util.concurrent.RejectedExecutionException busy) {
        carryOne(node, pending);
      }
    }
    carryOne(node, batch.get(0));
    for (Pending pending : batch) {
      try {
        pending.result().join();
      } catch (RuntimeException answeredWithARefusal) {
        // each session reads its own outcome or refusal
      }
    }
  }

  /** Sends one request in an exchange of its own and completes it. */
  private void carryOne(NodeId node, Pending pending) {
    HttpRequest post =
        access
            .sign(HttpRequest.newBuilder(endpoint(node).resolve("/steadfast/v1/requests")))
            .timeout(attempt)
            .POST(HttpRequest.BodyPublishers.ofByteArray(pending.encoded()))
            .build();
    try {
      pending
          .result()
          .complete(outcome(node, http.send(post, HttpResponse.BodyHandlers.ofByteArray())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.result().completeExceptionally(e);
    } catch (IOException | RuntimeException e) {
      pending.result().completeExceptionally(e);
    }
  }

  /** Sends requests in one batch and completes each with its own answer. */
  private void carryBatch(NodeId node, List<Pending> batch) {
    HttpRequest post =
        access
            .sign(HttpRequest.newBuilder(endpoint(node).resolve("/steadfast/v1/requests/batch")))
            .timeout(attempt)
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    BatchFormat.encodeRequests(batch.stream().map(Pending::encoded).toList())))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batch.forEach(pending -> pending.result().completeExceptionally(e));
      return;
    } catch (IOException | RuntimeException e) {
      batch.forEach(pending -> pending.result().completeExceptionally(e));
      return;
    }
    if (response.statusCode() == 404) {
      // A member of an older version, without the batch route: one exchange per request there.
      singleOnly.add(node);
      carryApart(node, batch);
      return;
    }
    if (response.statusCode() != 200) {
      RuntimeException refused =
          refusal(
              node,
              response.statusCode(),
              response.body(),
              response.headers().firstValue(HttpEndpoint.PRIMARY_HEADER).orElse(null));
      batch.forEach(pending -> pending.result().completeExceptionally(refused));
      return;
    }
    List<BatchFormat.Item> items;
    try {
      items = BatchFormat.decodeItems(response.body(), batch.size());
    } catch (IOException e) {
      SteadfastException unreadable =
          new SteadfastException("unreadable batch answer from " + node, e);
      batch.forEach(pending -> pending.result().completeExceptionally(unreadable));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      BatchFormat.Item item = items.get(i);
      CompletableFuture<Outcome> result = batch.get(i).result();
      try {
        if (item.status() == 200) {
          result.complete(WireFormat.decodeOutcome(item.body()));
        } else {
          result.completeExceptionally(refusal(node, item.status(), item.body(), null));
        }
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(new SteadfastException("unreadable outcome from " + node, e));
      }
    }
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
    return refusal(
        node,
        response.statusCode(),
        response.body(),
        response.headers().firstValue(HttpEndpoint.PRIMARY_HEADER).orElse(null));
  }

  /**
   * The typed exception a refusal stands for: its status, its JSON body and the primary a 421 names
   * (in the header, or for an item of a batch, in the body's {@code primary}).
   */
  static RuntimeException refusal(
      NodeId node, int status, byte[] answer, @org.jspecify.annotations.Nullable String primary) {
    String text = new String(answer, StandardCharsets.UTF_8);
    Map<String, Object> body;
    try {
      body = text.isEmpty() ? Map.of() : JSONObjectUtils.parse(text, 64 * 1024);
    } catch (java.text.ParseException e) {
      body = Map.of();
    }
    String message = String.valueOf(body.getOrDefault("message", text));
    switch (status) {
      case 421 -> {
        Object named = primary != null ? primary : body.get("primary");
        NodeId suggested = null;
        if (named instanceof String id) {
          try {
            suggested = NodeId.of(id);
          } catch (IllegalArgumentException unreadable) {
            // not a node id: no suggestion
          }
        }
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
        return new SteadfastException("node " + node + " answered " + status + ": " + message);
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
   * last 50 ms are reused, so many waiting sessions cost the members a few requests a second.
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
