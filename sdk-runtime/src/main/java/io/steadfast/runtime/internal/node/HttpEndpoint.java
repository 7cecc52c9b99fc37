package io.steadfast.runtime.internal.node;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.api.session.SessionLimitException;
import io.steadfast.api.session.UnknownSessionException;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.observe.NodeThreads;
import io.steadfast.runtime.security.Authenticator;
import io.steadfast.runtime.security.Credentials;
import io.steadfast.runtime.security.NodeSecurity;
import io.steadfast.runtime.security.TlsFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HTTP(S) endpoint for remote clients, peers and load balancers. Routes match method and
 * path exactly:
 *
 * <ul>
 *   <li>{@code POST /steadfast/v1/requests}: one session request (binary); answers its outcome, or
 *       421 with header {@value #PRIMARY_HEADER} naming the primary when this node is not it.
 *   <li>{@code POST /steadfast/v1/requests/batch}: up to {@value #MAX_BATCH} session requests of
 *       one caller ({@link BatchFormat}); answers each one's status and body in the order sent,
 *       once the last is decided.
 *   <li>{@code POST /steadfast/v1/query}: the application's read-only query, linearizable, on the
 *       primary; with {@code ?consistency=stale}, from the applied state of any ready member
 *       (primary or caught-up backup), 503 elsewhere; the caller's own principal only.
 *   <li>{@code GET /steadfast/v1/sessions/{id}}: a session's record (binary); its owner, a member
 *       or an admin only.
 *   <li>{@code POST /steadfast/v1/admin/step-down}: the primary steps down and the members elect
 *       again; members and admins only (asked by a member that cut its journal at start).
 *   <li>{@code GET /steadfast/v1/members}: the members in force (id, journal address, endpoint) and
 *       whether a change is under way; any authenticated caller.
 *   <li>{@code POST /steadfast/v1/admin/members?add=<id>&journal=<host:port>&endpoint=<uri>},
 *       {@code ?remove=<id>}, or both to replace a member: a membership change on the primary,
 *       answered once committed; members and admins only.
 *   <li>{@code POST /steadfast/v1/admin/finalize?version=<n>}: raises the active application
 *       version once every member's code supports it; members and admins only.
 *   <li>{@code POST /steadfast/v1/admin/promote?confirm=<id>}: on a disaster-recovery replica whose
 *       primary site is lost, records its promotion and stops it; started again, it is the only
 *       voting member and primary. 409 when it is not a replica or a primary still answers.
 *   <li>{@code POST /steadfast/v1/admin/audit}: audits the replicas now, on the primary, and
 *       answers each member's verdict; members and admins only.
 *   <li>{@code GET /steadfast/v1/primary}: 200 only on the ready primary, 503 elsewhere; open to
 *       all, for load balancers' health checks.
 *   <li>{@code GET /steadfast/v1/status}: the node's status as JSON; any authenticated caller.
 *       {@code ?digest=true} answers the fingerprint of the whole state instead (expensive; members
 *       and admins only).
 *   <li>{@code POST /steadfast/v1/admin/switchover?to=<id>} (on the primary), {@code POST
 *       /steadfast/v1/admin/checkpoint}: members and {@code steadfast-admin} users only. A
 *       switchover whose target did not take over in time is answered 409 {@code
 *       switchover-failed}, naming what the primary knows of the target; the primary stays.
 *   <li>{@code GET /steadfast/v1/health/live}, {@code /health/ready}, {@code /replica}: 200 or 503,
 *       open to all: the process serves; the member is the primary or a caught-up backup that knows
 *       the primary; the member is such a backup and its application reports UP.
 *   <li>{@code GET /steadfast/v1/checkpoint}: the newest checkpoint file; members and admins only.
 * </ul>
 *
 * <p>Who calls: a member (a client certificate from the members' authority, or the member secret)
 * acts for any principal; an authenticated user acts only as itself, with the roles its {@link
 * Authenticator} gives, and only on its own sessions; with no authenticator, session routes answer
 * 401, unless the node was told {@code insecure}, which trusts the principal a request names.
 *
 * <p>Bounds: bodies over the cap answer 413 unread; at most {@code maxConcurrentRequests} requests
 * in progress, from arrival to answer (the rest answer 503 at once); 8 worker threads read, check
 * and answer them, and a session request waiting for its outcome (at most 30 s) holds none. Every
 * refusal is JSON: {@code {"status":…,"error":"…","message":"…"}} plus fields that name the
 * problem.
 */
public final class HttpEndpoint implements AutoCloseable {

  public static final String PRIMARY_HEADER = "Steadfast-Primary";
  public static final String PREFIX = "/steadfast/v1/";
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
  private static final ThreadLocal<Boolean> OVERLOADED = ThreadLocal.withInitial(() -> false);

  /**
   * Set by a handler that answers later, from another thread ({@link #request}): the exchange is
   * then neither closed nor its slot freed when the handler returns, but when it is answered.
   */
  private static final ThreadLocal<Boolean> DEFERRED = ThreadLocal.withInitial(() -> false);

  /** How long a session request waits for its outcome before the node answers 503. */
  private static final int REQUEST_TIMEOUT_SECONDS = 30;

  /** How much of an unread request body is drained before answering: four times the cap. */
  private static final String DRAIN_ATTRIBUTE = "steadfast.drainBytes";

  private final NodeGateway<?, ?> node;
  private final NodeSecurity security;
  private final @Nullable X509ExtendedTrustManager memberTrust;
  private final HttpServer server;
  private final ExecutorService workers;

  /** Runs deferred answers on the workers; on the calling thread once they are shut down. */
  private final java.util.concurrent.Executor answering;

  private final Semaphore slots;
  private final Map<String, Route> routes;

  /** Handles one exchange for a caller already authenticated where the route needs it. */
  private interface Handler {
    void handle(HttpExchange exchange, Caller caller) throws IOException;
  }

  /** A route: its one method, whether it needs an authenticated caller, and its handler. */
  private record Route(String method, boolean authenticated, Handler handler) {}

  /** Who sent a request, as far as the endpoint could tell. */
  private sealed interface Caller {}

  /** A member, or an insecure node's anyone: may act for any principal. */
  private record Trusted(String who) implements Caller {}

  /** An authenticated user. */
  private record User(Principal principal) implements Caller {}

  /** Nobody proven. */
  private record Anonymous(NotAuthenticatedException why) implements Caller {}

  static {
    // The JDK's server writes a response's headers and its body in two writes; with Nagle's
    // algorithm on, the body then waits for the client's delayed acknowledgement: about 40 ms on
    // every answer (EndpointFuzzIT: 1,500 requests took 70 s instead of 7). The server reads this
    // property once, when its first instance is made; a value the operator set is left alone.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  public HttpEndpoint(NodeGateway<?, ?> node, InetSocketAddress address, NodeSecurity security)
      throws IOException {
    this.node = node;
    this.security = security;
    this.slots = new Semaphore(security.maxConcurrentRequestsValue());
    TlsFiles tls = security.tlsFiles();
    if (tls != null) {
      HttpsServer https = HttpsServer.create(address, 64);
      TlsFiles clients = security.clientAuthorityFiles();
      this.memberTrust = tls.trustManager();
      X509ExtendedTrustManager accepted =
          clients == null ? memberTrust : new EitherTrust(memberTrust, clients.trustManager());
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls.context(accepted)) {
            @Override
            public void configure(HttpsParameters parameters) {
              // Client certificates are optional: a token may identify the caller instead.
              parameters.setWantClientAuth(true);
            }
          });
      this.server = https;
    } else {
      this.memberTrust = null;
      this.server = HttpServer.create(address, 64);
    }
    this.workers = Executors.newFixedThreadPool(8, NodeThreads.factory("http", node.id().value()));
    this.answering =
        task -> {
          try {
            workers.execute(task);
          } catch (RejectedExecutionException closing) {
            task.run(); // the endpoint is closing: answer (or fail to) and free the slot at once
          }
        };
    this.routes =
        Map.ofEntries(
            Map.entry("requests", new Route("POST", true, this::request)),
            Map.entry("requests/batch", new Route("POST", true, this::requestBatch)),
            Map.entry("query", new Route("POST", true, this::query)),
            Map.entry("status", new Route("GET", true, this::status)),
            Map.entry("checkpoint", new Route("GET", true, this::checkpoint)),
            Map.entry("admin/switchover", new Route("POST", true, this::switchover)),
            Map.entry("admin/checkpoint", new Route("POST", true, this::checkpointNow)),
            Map.entry("admin/step-down", new Route("POST", true, this::stepDown)),
            Map.entry("admin/members", new Route("POST", true, this::changeMembers)),
            Map.entry("admin/audit", new Route("POST", true, this::audit)),
            Map.entry("admin/promote", new Route("POST", true, this::promote)),
            Map.entry("admin/finalize", new Route("POST", true, this::finalizeVersion)),
            Map.entry("members", new Route("GET", true, this::members)),
            Map.entry(
                "primary",
                new Route("GET", false, (e, c) -> probe(e, node.isPrimary(), "primary"))),
            Map.entry("health/live", new Route("GET", false, (e, c) -> probe(e, true, "live"))),
            Map.entry(
                "health/ready",
                new Route("GET", false, (e, c) -> probe(e, node.isReady(), "ready"))),
            Map.entry(
                "replica",
                new Route(
                    "GET",
                    false,
                    (e, c) -> probe(e, node.isHealthyBackup(), "healthy, caught-up backup"))));
    server.setExecutor(this::dispatch);
    server.createContext("/", this::route);
    server.start();
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Runs an exchange on a worker when a slot is free; otherwise on the server's own thread, where
   * the handler answers 503 at once without reading the body.
   */
  private void dispatch(Runnable exchange) {
    if (slots.tryAcquire()) {
      try {
        workers.execute(
            () -> {
              boolean deferred = false;
              try {
                exchange.run();
                deferred = DEFERRED.get();
              } finally {
                DEFERRED.remove();
                if (!deferred) {
                  slots.release();
                }
              }
            });
      } catch (RejectedExecutionException closing) {
        slots.release();
      }
      return;
    }
    OVERLOADED.set(true);
    try {
      exchange.run();
    } finally {
      OVERLOADED.remove();
    }
  }

  private void route(HttpExchange exchange) {
    try {
      routeOpen(exchange);
    } finally {
      if (!DEFERRED.get()) {
        exchange.close();
      }
    }
  }

  private void routeOpen(HttpExchange exchange) {
    try {
      exchange.setAttribute(DRAIN_ATTRIBUTE, 4L * security.maxRequestBytesValue());
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      String method = exchange.getRequestMethod();
      if (OVERLOADED.get() && !isProbe(path, method)) {
        // Answered on the server's own thread: no draining there.
        exchange.setAttribute(DRAIN_ATTRIBUTE, 0L);
        refuse(
            exchange,
            503,
            "overloaded",
            security.maxConcurrentRequestsValue() + " requests in progress; try again",
            Map.of());
        return;
      }
      if (!path.startsWith(PREFIX)) {
        refuse(exchange, 404, "not_found", "no route " + path, Map.of());
        return;
      }
      String rest = path.substring(PREFIX.length());
      String session = null;
      Route route = routes.get(rest);
      if (route == null
          && rest.startsWith("sessions/")
          && rest.indexOf('/', "sessions/".length()) < 0) {
        session = rest.substring("sessions/".length());
        route = new Route("GET", true, (e, caller) -> {});
      }
      if (route == null) {
        refuse(exchange, 404, "not_found", "no route " + path, Map.of());
        return;
      }
      if (!allowed(exchange, method, route.method())) {
        return;
      }
      Caller caller = route.authenticated() ? caller(exchange) : new Trusted("probe");
      if (caller instanceof Anonymous anonymous) {
        unauthenticated(exchange, anonymous.why());
      } else if (session != null) {
        session(exchange, caller, session);
      } else {
        route.handler().handle(exchange, caller);
      }
    } catch (IOException e) {
      // The caller went away (a load balancer's check closes at once): nothing to answer.
      LOG.debug("{}: connection ended early: {}", node.id(), e.toString());
    } catch (RuntimeException e) {
      LOG.warn("{}: request failed: {}", node.id(), e.toString());
    }
  }

  /**
   * Whether a request is one of the probes (a GET of a route that needs no caller: {@code primary},
   * {@code health/live}, {@code health/ready}, {@code replica}). Probes are answered even when
   * every request slot is taken, on the server's own thread: they read a few fields and have no
   * body, and a load balancer that got 503 from a busy primary's probe would take it out of service
   * exactly when it is busiest.
   */
  private boolean isProbe(String path, String method) {
    if (!"GET".equals(method) || !path.startsWith(PREFIX)) {
      return false;
    }
    Route route = routes.get(path.substring(PREFIX.length()));
    return route != null && !route.authenticated() && "GET".equals(route.method());
  }

  private static boolean allowed(HttpExchange exchange, String method, String expected)
      throws IOException {
    if (expected.equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().add("Allow", expected);
    refuse(
        exchange,
        405,
        "method_not_allowed",
        method + " not allowed; use " + expected,
        Map.of("allow", expected));
    return false;
  }

  private void request(HttpExchange exchange, Caller caller) throws IOException {
    byte[] body = body(exchange);
    if (body == null) {
      return;
    }
    Request request;
    try {
      request = WireFormat.decodeRequest(body);
    } catch (IOException | RuntimeException e) {
      refuse(exchange, 400, "malformed", "unreadable request: " + e.getMessage(), Map.of());
      return;
    }
    Admission admission = admit(request, caller);
    Refusal refused = admission.refusal();
    if (refused != null) {
      refuse(exchange, refused);
      return;
    }
    // The worker does not wait for the outcome: it is answered when the command is decided, from
    // a worker again (never from the thread that completes the outcome, which is the engine's).
    // A blocked worker per command capped the commands in the node at the number of workers, and
    // so the commands group commit could put in one journal entry.
    CompletableFuture<Outcome> outcome = submit(admission);
    DEFERRED.set(true);
    var unused =
        outcome.whenCompleteAsync((decided, error) -> answer(exchange, decided, error), answering);
  }

  /**
   * What a request becomes at the door: the request to submit and the owner its session must have
   * (null for a member, which acts for anyone), or the refusal.
   */
  private record Admission(
      @Nullable Request request, @Nullable String owner, @Nullable Refusal refusal) {}

  /**
   * Checks a decoded request against its caller: a user acts only as itself, opens sessions only
   * for itself and with the roles its authenticator gave, never the ones the request names.
   */
  private static Admission admit(Request request, Caller caller) {
    if (!(caller instanceof User user)) {
      return new Admission(request, null, null);
    }
    Principal principal = user.principal();
    String owner = principal.user();
    if (request.kind() != Request.Kind.OPEN) {
      return new Admission(request, owner, null);
    }
    Principal named = java.util.Objects.requireNonNull(request.principal());
    if (!named.user().equals(owner)) {
      return new Admission(
          null,
          null,
          new Refusal(
              403,
              "not_authorized",
              "authenticated as " + owner + " but the request opens a session for " + named.user(),
              Map.of(
                  "user", owner, "what", "open as " + named.user(), "requiredRoles", List.of())));
    }
    // The roles are the authenticator's, never the client's.
    return new Admission(
        Request.open(request.session(), principal, java.util.Objects.requireNonNull(request.ttl())),
        owner,
        null);
  }

  /**
   * How long a request refused for "not primary" is held while this member expects a ready primary
   * shortly ({@link NodeGateway#primarySettled}) before it is tried once more here or refused
   * naming the primary then known: longer than an election that goes through at its first round
   * takes on a loaded two-core host, and no longer than the remote client waits before it asks the
   * other members whether one of them is the ready primary (200 ms).
   */
  static final java.time.Duration ELECTION_HOLD = java.time.Duration.ofMillis(200);

  /**
   * Submits an admitted request; its outcome, failed with a timeout after 30 s. A refusal for "not
   * primary" during an election waits for it to settle (at most {@link #ELECTION_HOLD}) and the
   * request is then submitted once more: served here if this member became the primary, refused
   * naming the new primary otherwise. The held request keeps its slot, so holds are bounded by the
   * endpoint's concurrent requests.
   */
  private CompletableFuture<Outcome> submit(Admission admission) {
    Request request = java.util.Objects.requireNonNull(admission.request());
    return node.submit(request, admission.owner())
        .exceptionallyCompose(
            error ->
                unwrap(error) instanceof NotPrimaryException
                    ? node.primarySettled(ELECTION_HOLD, answering)
                        .thenCompose(
                            waited ->
                                waited
                                    ? node.submit(request, admission.owner())
                                    : CompletableFuture.<Outcome>failedFuture(error))
                    : CompletableFuture.failedFuture(error))
        .orTimeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The failure a completion or execution exception wraps. */
  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Answers a deferred request with its outcome or refusal, ends it and frees its slot. */
  private void answer(HttpExchange exchange, @Nullable Outcome outcome, @Nullable Throwable error) {
    try (exchange) {
      if (error == null) {
        reply(
            exchange,
            200,
            "application/octet-stream",
            WireFormat.encodeOutcome(java.util.Objects.requireNonNull(outcome)));
      } else {
        refuse(exchange, refusalOf(error));
      }
    } catch (IOException e) {
      LOG.debug("{}: connection ended before the answer: {}", node.id(), e.toString());
    } catch (RuntimeException e) {
      LOG.warn("{}: answering a request failed: {}", node.id(), e.toString());
    } finally {
      slots.release();
    }
  }

  /**
   * {@code POST /steadfast/v1/requests/batch}: several session requests of one caller in one
   * exchange, as a remote client sends the commands of its sessions that wait at the same moment.
   * Each is admitted, submitted and answered as if it had come alone; the exchange is answered when
   * the last is decided, with each one's status and body (the outcome, or the JSON refusal it would
   * have had) in the order sent. Each request takes one of the endpoint's request slots; a batch
   * for which not enough are free is refused whole (503 {@code overloaded}), as is an unreadable
   * one (400), one of more than {@value #MAX_BATCH} requests (413) or one over the body cap (413).
   */
  private void requestBatch(HttpExchange exchange, Caller caller) throws IOException {
    byte[] body = body(exchange);
    if (body == null) {
      return;
    }
    List<Request> requests;
    try {
      requests = BatchFormat.decodeRequests(body, MAX_BATCH);
    } catch (BatchFormat.TooManyException e) {
      refuse(
          exchange,
          413,
          "batch_too_large",
          e.getMessage() == null ? "too many requests" : e.getMessage(),
          Map.of("maxRequests", MAX_BATCH));
      return;
    } catch (IOException | RuntimeException e) {
      refuse(exchange, 400, "malformed", "unreadable batch: " + e.getMessage(), Map.of());
      return;
    }
    int extra = requests.size() - 1;
    if (extra > 0 && !slots.tryAcquire(extra)) {
      refuse(
          exchange,
          503,
          "overloaded",
          security.maxConcurrentRequestsValue()
              + " requests in progress; a batch of "
              + requests.size()
              + " does not fit; try again",
          Map.of());
      return;
    }
    List<Refusal> refusals = new ArrayList<>(requests.size());
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(requests.size());
    try {
      for (Request request : requests) {
        Admission admission = admit(request, caller);
        refusals.add(admission.refusal());
        outcomes.add(
            admission.refusal() == null
                ? submit(admission)
                : CompletableFuture.completedFuture(Outcome.unknownSession()));
      }
    } catch (RuntimeException e) {
      slots.release(extra);
      throw e;
    }
    DEFERRED.set(true);
    var unused =
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
            .whenCompleteAsync(
                (done, error) -> answerBatch(exchange, refusals, outcomes, extra + 1), answering);
  }

  /** Answers a deferred batch, item by item in the order sent; ends it and frees its slots. */
  private void answerBatch(
      HttpExchange exchange,
      List<@Nullable Refusal> refusals,
      List<CompletableFuture<Outcome>> outcomes,
      int slotsHeld) {
    try (exchange) {
      List<BatchFormat.Item> items = new ArrayList<>(outcomes.size());
      for (int i = 0; i < outcomes.size(); i++) {
        Refusal refused = refusals.get(i);
        if (refused == null) {
          try {
            items.add(new BatchFormat.Item(200, WireFormat.encodeOutcome(outcomes.get(i).join())));
            continue;
          } catch (CompletionException | java.util.concurrent.CancellationException e) {
            refused = refusalOf(e);
          }
        }
        items.add(new BatchFormat.Item(refused.status(), refused.json()));
      }
      reply(exchange, 200, BatchFormat.CONTENT_TYPE, BatchFormat.encodeItems(items));
    } catch (IOException e) {
      LOG.debug("{}: connection ended before the answer: {}", node.id(), e.toString());
    } catch (RuntimeException e) {
      LOG.warn("{}: answering a batch failed: {}", node.id(), e.toString());
    } finally {
      slots.release(slotsHeld);
    }
  }

  /** The most session requests one batch may carry. */
  public static final int MAX_BATCH = 64;

  private void query(HttpExchange exchange, Caller caller) throws IOException {
    String consistency = exchange.getRequestURI().getRawQuery();
    boolean stale = "consistency=stale".equals(consistency);
    if (consistency != null && !stale && !"consistency=linearizable".equals(consistency)) {
      refuse(
          exchange,
          400,
          "malformed",
          "unknown query " + consistency + "; consistency=linearizable (default) or stale",
          Map.of());
      return;
    }
    byte[] body = body(exchange);
    if (body == null) {
      return;
    }
    try {
      byte[] query = body;
      String owner = null;
      if (caller instanceof User user) {
        owner = user.principal().user();
        // The roles are the authenticator's, never the client's.
        Queries.AppQuery asked = Queries.decodeAppQuery(body);
        if (asked.principal().user().equals(owner)) {
          query = Queries.appQuery(user.principal(), asked.payload());
        }
      }
      reply(
          exchange,
          200,
          "application/octet-stream",
          stale ? node.queryStale(query, owner) : node.query(query, owner));
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  private void session(HttpExchange exchange, Caller caller, String rawId) throws IOException {
    SessionId id;
    try {
      id = SessionId.of(java.net.URLDecoder.decode(rawId, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      refuse(exchange, 400, "malformed", "bad session id: " + e.getMessage(), Map.of());
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    boolean attach = "attach=true".equals(query);
    if (query != null && !attach && !"attach=false".equals(query)) {
      refuse(exchange, 400, "malformed", "unknown query " + query, Map.of());
      return;
    }
    String owner = caller instanceof User user && !isAdmin(user) ? user.principal().user() : null;
    try {
      SessionView view = node.readSession(id, attach, owner);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(view.state().ordinal());
        out.writeLong(view.lastSequence());
        WireFormat.writeResumePoint(out, view.resumePoint());
      }
      reply(exchange, 200, "application/octet-stream", bytes.toByteArray());
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  /** Whether the caller may run admin operations; answers 403 when not. */
  private static boolean admin(HttpExchange exchange, Caller caller) throws IOException {
    if (caller instanceof User user && !isAdmin(user)) {
      refuse(
          exchange,
          403,
          "not_authorized",
          "admin operations need the role " + NodeSecurity.ADMIN_ROLE,
          Map.of(
              "user",
              user.principal().user(),
              "what",
              "admin",
              "requiredRoles",
              List.of(NodeSecurity.ADMIN_ROLE)));
      return false;
    }
    return true;
  }

  private void switchover(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null || !query.startsWith("to=") || query.length() == 3) {
      refuse(exchange, 400, "malformed", "name the target: ?to=<member id>", Map.of());
      return;
    }
    String target = java.net.URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8);
    if (!node.members().contains(target)) {
      refuse(
          exchange,
          400,
          "malformed",
          "no member " + target + "; members are " + node.members(),
          Map.of("members", List.copyOf(node.members())));
      return;
    }
    try {
      node.switchoverTo(io.steadfast.api.NodeId.of(target));
      reply(
          exchange,
          200,
          "application/json",
          text(JSONObjectUtils.toJSONString(Map.of("primary", target))));
    } catch (IllegalArgumentException e) {
      refuse(exchange, 400, "malformed", "bad member id: " + e.getMessage(), Map.of());
    } catch (HandOverFailedException e) {
      refuse(
          exchange, 409, "switchover-failed", String.valueOf(e.getMessage()), Map.of("to", target));
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  private void members(HttpExchange exchange, Caller caller) throws IOException {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("node", node.id().value());
    body.put("members", node.memberList());
    body.put("changing", node.changingMembers());
    body.put("replicas", node.replicaIds());
    reply(exchange, 200, "application/json", text(JSONObjectUtils.toJSONString(body)));
  }

  /**
   * {@code POST admin/promote?confirm=<this replica's id>}, on a disaster-recovery replica: records
   * the promotion and stops the member; it is promoted when started again.
   */
  private void promote(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    Map<String, String> parameters = parametersOrRefuse(exchange);
    if (parameters == null) {
      return;
    }
    String confirm = parameters.get("confirm");
    if (confirm == null || parameters.size() != 1) {
      refuse(
          exchange,
          400,
          "malformed",
          "confirm with this replica's own id: ?confirm=" + node.id().value(),
          Map.of());
      return;
    }
    try {
      String next = node.promote(io.steadfast.api.NodeId.of(confirm));
      // Answer first: the stop closes this endpoint (and a member process then exits), and an
      // operator whose request got no answer cannot tell a promotion from a crash.
      try {
        reply(
            exchange,
            202,
            "application/json",
            text(
                JSONObjectUtils.toJSONString(
                    Map.of("promoting", node.id().value(), "next", next))));
      } finally {
        node.stopForPromotion();
      }
    } catch (IllegalArgumentException e) {
      refuse(exchange, 409, "refused", String.valueOf(e.getMessage()), Map.of());
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  /**
   * {@code POST admin/members?add=<id>&journal=<host:port>[&endpoint=<uri>]}, {@code ?remove=<id>},
   * or both {@code remove} and {@code add} to replace a member in one change; with {@code
   * replica=true}, {@code add} adds a disaster-recovery replica instead. On the primary. Answers
   * the new membership once committed.
   */
  private void changeMembers(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    Map<String, String> parameters = parametersOrRefuse(exchange);
    if (parameters == null) {
      return;
    }
    String add = parameters.get("add");
    String remove = parameters.get("remove");
    String journal = parameters.get("journal");
    String endpoint = parameters.get("endpoint");
    String replica = parameters.get("replica");
    if (replica != null && !replica.equals("true") && !replica.equals("false")) {
      refuse(exchange, 400, "malformed", "replica must be true or false, not " + replica, Map.of());
      return;
    }
    boolean asReplica = "true".equals(replica);
    if (asReplica ? add == null || remove != null : add == null && remove == null) {
      refuse(
          exchange,
          400,
          "malformed",
          asReplica
              ? "a replica is added alone:"
                  + " ?add=<id>&replica=true&journal=<host:port>&endpoint=<uri>"
              : "name the change: ?add=<id>&journal=<host:port>&endpoint=<uri>, ?remove=<id>, or"
                  + " both",
          Map.of());
      return;
    }
    try {
      java.net.URI uri = endpoint == null ? null : java.net.URI.create(endpoint);
      if (asReplica) {
        node.addReplica(
            io.steadfast.api.NodeId.of(java.util.Objects.requireNonNull(add)), journal, uri);
      } else {
        node.changeMembers(
            remove == null ? null : io.steadfast.api.NodeId.of(remove),
            add == null ? null : io.steadfast.api.NodeId.of(add),
            journal,
            uri);
      }
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("members", node.memberList());
      body.put("replicas", node.replicaIds());
      reply(exchange, 200, "application/json", text(JSONObjectUtils.toJSONString(body)));
    } catch (IllegalArgumentException e) {
      refuse(exchange, 409, "refused", String.valueOf(e.getMessage()), Map.of());
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  /** The request's query parameters, or null after answering 400 when they are malformed. */
  private @Nullable Map<String, String> parametersOrRefuse(HttpExchange exchange)
      throws IOException {
    try {
      return parameters(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      refuse(exchange, 400, "malformed", e.getMessage(), Map.of());
      return null;
    }
  }

  /** The parameters of a query string; a parameter given twice or an unknown one is refused. */
  static Map<String, String> parameters(@Nullable String rawQuery) {
    Map<String, String> parameters = new TreeMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&", 16)) {
      int equals = pair.indexOf('=');
      if (equals <= 0 || equals == pair.length() - 1) {
        throw new IllegalArgumentException("parameter without a value: '" + pair + "'");
      }
      String name = pair.substring(0, equals);
      if (!MEMBER_PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + name + "'; known are " + MEMBER_PARAMETERS);
      }
      String value = java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      if (parameters.put(name, value) != null) {
        throw new IllegalArgumentException("parameter '" + name + "' given twice");
      }
    }
    return parameters;
  }

  private static final java.util.Set<String> MEMBER_PARAMETERS =
      new java.util.TreeSet<>(
          List.of("add", "confirm", "endpoint", "journal", "remove", "replica"));

  private void finalizeVersion(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    int version;
    try {
      if (query == null || !query.startsWith("version=")) {
        throw new NumberFormatException("missing");
      }
      version = Integer.parseInt(query.substring("version=".length()));
    } catch (NumberFormatException e) {
      refuse(exchange, 400, "malformed", "name the version: ?version=<positive number>", Map.of());
      return;
    }
    try {
      reply(
          exchange,
          200,
          "application/json",
          text(JSONObjectUtils.toJSONString(node.finalizeNow(version))));
    } catch (IllegalArgumentException e) {
      refuse(exchange, 409, "refused", String.valueOf(e.getMessage()), Map.of());
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  private void audit(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    boolean resync;
    if (query == null || query.equals("resync=false")) {
      resync = false;
    } else if (query.equals("resync=true")) {
      resync = true;
    } else {
      refuse(
          exchange,
          400,
          "malformed",
          "the only parameter is resync=true or resync=false, not '" + query + "'",
          Map.of());
      return;
    }
    try {
      reply(
          exchange,
          200,
          "application/json",
          text(JSONObjectUtils.toJSONString(node.auditNow(resync))));
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  private void stepDown(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    try {
      node.stepDown();
      reply(
          exchange,
          200,
          "application/json",
          text(JSONObjectUtils.toJSONString(Map.of("steppedDown", node.id().value()))));
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  private void checkpointNow(HttpExchange exchange, Caller caller) throws IOException {
    if (!admin(exchange, caller)) {
      return;
    }
    node.checkpointNow();
    reply(
        exchange,
        202,
        "application/json",
        text(JSONObjectUtils.toJSONString(Map.of("requested", true, "node", node.id().value()))));
  }

  /** A probe for load balancers and orchestrators: open to all, 200 or 503, a line of text. */
  private void probe(HttpExchange exchange, boolean holds, String what) throws IOException {
    reply(
        exchange,
        holds ? 200 : 503,
        "text/plain; charset=utf-8",
        text((holds ? "" : "not ") + what + " " + node.id()));
  }

  private void status(HttpExchange exchange, Caller caller) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null || "digest=false".equals(query)) {
      reply(
          exchange,
          200,
          "application/json",
          text(JSONObjectUtils.toJSONString(node.statusFields())));
      return;
    }
    if (!"digest=true".equals(query)) {
      refuse(
          exchange, 400, "malformed", "unknown query " + query + "; digest=true or none", Map.of());
      return;
    }
    // Hashing the whole state is expensive: members and admins only, never any signed-in user.
    if (caller instanceof User user && !isAdmin(user)) {
      refuse(
          exchange,
          403,
          "not_authorized",
          "the state digest is served to members and admins only",
          Map.of(
              "user",
              user.principal().user(),
              "what",
              "digest",
              "requiredRoles",
              List.of(NodeSecurity.ADMIN_ROLE)));
      return;
    }
    try {
      reply(exchange, 200, "application/json", text(JSONObjectUtils.toJSONString(node.digest())));
    } catch (RuntimeException e) {
      refuse(exchange, e);
    }
  }

  private void checkpoint(HttpExchange exchange, Caller caller) throws IOException {
    if (caller instanceof User user && !isAdmin(user)) {
      refuse(
          exchange,
          403,
          "not_authorized",
          "checkpoints are served to members and admins only",
          Map.of(
              "user",
              user.principal().user(),
              "what",
              "checkpoint",
              "requiredRoles",
              List.of(NodeSecurity.ADMIN_ROLE)));
      return;
    }
    Optional<Path> newest = node.newestCheckpoint();
    if (newest.isEmpty() || !Files.exists(newest.get())) {
      refuse(exchange, 404, "no_checkpoint", "no checkpoint on " + node.id(), Map.of());
      return;
    }
    Path file = newest.get();
    try (InputStream in = Files.newInputStream(file)) {
      exchange.getResponseHeaders().add(PeerCheckpoints.NAME_HEADER, file.getFileName().toString());
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      drain(exchange);
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  private static boolean isAdmin(User user) {
    return user.principal().hasRole(NodeSecurity.ADMIN_ROLE);
  }

  /** Who sent the exchange: a member, an authenticated user, trusted (insecure), or nobody. */
  private Caller caller(HttpExchange exchange) {
    List<X509Certificate> chain = clientChain(exchange);
    if (!chain.isEmpty() && memberTrust != null) {
      try {
        X509Certificate[] array = chain.toArray(new X509Certificate[0]);
        memberTrust.checkClientTrusted(array, array[0].getPublicKey().getAlgorithm());
        return new Trusted("member " + chain.get(0).getSubjectX500Principal());
      } catch (CertificateException notAMember) {
        // a client certificate from the client authorities: the authenticator decides
      }
    }
    if (security.isMemberSecret(
        exchange.getRequestHeaders().getFirst(NodeSecurity.MEMBER_HEADER))) {
      return new Trusted("member (secret)");
    }
    Authenticator authenticator = security.authenticatorOrNull();
    if (authenticator == null) {
      if (security.isInsecure()) {
        return new Trusted("anyone (insecure)");
      }
      return new Anonymous(
          new NotAuthenticatedException(
              "node "
                  + node.id()
                  + " has no authenticator: remote session requests are refused (configure"
                  + " security(...authenticator(...)))"));
    }
    Credentials credentials =
        new Credentials(bearer(exchange), memberTrust == null ? List.of() : chain);
    if (credentials.isEmpty()) {
      return new Anonymous(
          new NotAuthenticatedException(
              "no credentials: send a bearer token or a client certificate"));
    }
    try {
      Optional<Principal> principal = authenticator.authenticate(credentials);
      if (principal.isPresent()) {
        return new User(principal.get());
      }
      return new Anonymous(new NotAuthenticatedException("credentials not recognised"));
    } catch (NotAuthenticatedException e) {
      return new Anonymous(e);
    } catch (RuntimeException e) {
      LOG.warn("{}: authenticator failed; refusing the request: {}", node.id(), e.toString());
      return new Anonymous(new NotAuthenticatedException("authenticator failed"));
    }
  }

  private static List<X509Certificate> clientChain(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https)) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : https.getSSLSession().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException none) {
      return List.of();
    }
  }

  private static @Nullable String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  /** The request body, or null after answering 413 when it exceeds the cap. */
  private byte @Nullable [] body(HttpExchange exchange) throws IOException {
    int cap = security.maxRequestBytesValue();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        refuse(exchange, 400, "malformed", "bad Content-Length " + declared, Map.of());
        return null;
      }
      if (length > cap) {
        tooLarge(exchange, cap);
        return null;
      }
    }
    InputStream in = exchange.getRequestBody();
    byte[] bytes = in.readNBytes(cap + 1);
    if (bytes.length > cap) {
      tooLarge(exchange, cap);
      return null;
    }
    return bytes;
  }

  private static void tooLarge(HttpExchange exchange, int cap) throws IOException {
    refuse(
        exchange,
        413,
        "body_too_large",
        "request body larger than " + cap + " bytes",
        Map.of("maxBytes", cap));
  }

  /**
   * Reads and drops what is left of the request body (at most {@link #DRAIN_ATTRIBUTE} bytes, into
   * a small buffer) before answering: a connection closed with unread data in it is reset, and the
   * reset can destroy the answer before the client has read it. A longer body is cut off.
   */
  private static void drain(HttpExchange exchange) throws IOException {
    Object limit = exchange.getAttribute(DRAIN_ATTRIBUTE);
    long left = limit instanceof Long bytes ? bytes : 0;
    InputStream in = exchange.getRequestBody();
    byte[] sink = new byte[8192];
    int read;
    while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= read;
    }
  }

  private static void unauthenticated(HttpExchange exchange, NotAuthenticatedException why)
      throws IOException {
    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
    refuse(exchange, 401, "not_authenticated", String.valueOf(why.getMessage()), Map.of());
  }

  /** A refusal: the status, a stable error code, a message, fields that name the problem. */
  private record Refusal(
      int status, String error, String message, Map<String, ?> fields, @Nullable String primary) {

    Refusal(int status, String error, String message, Map<String, ?> fields) {
      this(status, error, message, fields, null);
    }

    /** The JSON body: status, error, message, the fields and, for 421, the primary if known. */
    byte[] json() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status);
      body.put("error", error);
      body.put("message", message);
      body.putAll(fields);
      if (primary != null) {
        body.put("primary", primary);
      }
      return text(JSONObjectUtils.toJSONString(body));
    }
  }

  private void refuse(HttpExchange exchange, Throwable cause) throws IOException {
    refuse(exchange, refusalOf(cause));
  }

  private static void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
    if (refusal.primary() != null) {
      exchange.getResponseHeaders().add(PRIMARY_HEADER, refusal.primary());
    }
    reply(exchange, refusal.status(), "application/json", refusal.json());
  }

  /** The refusal a failed submission stands for. */
  private static Refusal refusalOf(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof TimeoutException) {
      return new Refusal(
          503, "timeout", "no outcome within " + REQUEST_TIMEOUT_SECONDS + " s", Map.of());
    } else if (cause instanceof NotPrimaryException notPrimary) {
      return new Refusal(
          421,
          "not_primary",
          String.valueOf(notPrimary.getMessage()),
          Map.of(),
          notPrimary.suggestedPrimary().map(NodeId::value).orElse(null));
    } else if (cause instanceof NotAuthorizedException refused) {
      return new Refusal(
          403,
          "not_authorized",
          String.valueOf(refused.getMessage()),
          Map.of(
              "user",
              refused.user(),
              "what",
              refused.commandType(),
              "requiredRoles",
              List.copyOf(new TreeSet<>(refused.requiredRoles()))));
    } else if (cause instanceof UnknownSessionException unknown) {
      return new Refusal(
          404,
          "unknown_session",
          String.valueOf(unknown.getMessage()),
          Map.of("session", unknown.session().value()));
    } else if (cause instanceof SessionLimitException limit) {
      return new Refusal(
          409,
          "session_limit",
          String.valueOf(limit.getMessage()),
          Map.of("session", limit.session().value()));
    } else if (cause instanceof MalformedCommandException malformed) {
      return new Refusal(400, "malformed", String.valueOf(malformed.getMessage()), Map.of());
    } else if (cause instanceof SteadfastException steadfast) {
      return new Refusal(503, "unavailable", String.valueOf(steadfast.getMessage()), Map.of());
    } else {
      return new Refusal(503, "unavailable", String.valueOf(cause), Map.of());
    }
  }

  /** Answers a refusal as JSON naming the problem. */
  static void refuse(
      HttpExchange exchange, int status, String error, String message, Map<String, ?> fields)
      throws IOException {
    refuse(exchange, new Refusal(status, error, message, fields));
  }

  private static byte[] text(String message) {
    return message.getBytes(StandardCharsets.UTF_8);
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    drain(exchange);
    exchange.getResponseHeaders().set("Content-Type", type);
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
    workers.shutdownNow();
  }

  /** Trusts a client chain that either of two trust managers trusts. */
  private static final class EitherTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager first;
    private final X509ExtendedTrustManager second;

    EitherTrust(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
      this.first = first;
      this.second = second;
    }

    private interface Check {
      void check(X509ExtendedTrustManager trust) throws CertificateException;
    }

    private void either(Check check) throws CertificateException {
      try {
        check.check(first);
      } catch (CertificateException e) {
        check.check(second);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
        throws CertificateException {
      either(t -> t.checkClientTrusted(chain, authType, s));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
        throws CertificateException {
      either(t -> t.checkServerTrusted(chain, authType, s));
    }

    @Override
    public void checkClientTrusted(
        X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e)
        throws CertificateException {
      either(t -> t.checkClientTrusted(chain, authType, e));
    }

    @Override
    public void checkServerTrusted(
        X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e)
        throws CertificateException {
      either(t -> t.checkServerTrusted(chain, authType, e));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      either(t -> t.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      either(t -> t.checkServerTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      Set<X509Certificate> issuers = new java.util.LinkedHashSet<>();
      issuers.addAll(List.of(first.getAcceptedIssuers()));
      issuers.addAll(List.of(second.getAcceptedIssuers()));
      return issuers.toArray(new X509Certificate[0]);
    }
  }
}
