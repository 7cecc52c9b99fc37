package io.steadfast.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.ConfigurationException;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.runtime.StorageRepairException;
import io.steadfast.runtime.security.Authenticator;
import io.steadfast.runtime.security.JwtAuthenticator;
import io.steadfast.runtime.security.NodeSecurity;
import io.steadfast.runtime.security.TlsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * Runs one member as a process. A vendor's main is one line:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   SteadfastServer.run(args, MortgageLoanApplication::new, MortgageLoanApplication.codec());
 * }
 * }</pre>
 *
 * <p>Flags: {@code --config <file>} (a properties file), {@code --set key=value} (repeatable),
 * {@code --keys} (lists every key). The keys are those of {@link ServerConfig}; environment
 * variables override the file and flags override both. A bad setting ends the process with status 2
 * and a line naming the key.
 *
 * <p>On SIGTERM (or any orderly JVM exit) a primary first hands over to another member, trying each
 * in turn within {@code shutdown.handover-timeout} (default 5 s), then stops; a backup just stops.
 */
public final class SteadfastServer {

  private static final Logger LOG = LoggerFactory.getLogger(SteadfastServer.class);

  /** Exit status for bad configuration or flags. */
  public static final int CONFIGURATION_ERROR = 2;

  /**
   * Exit status when the member repaired damaged storage but cannot join safely (see {@link
   * StorageRepairException}); the message says what to do.
   */
  public static final int STORAGE_ERROR = 3;

  /**
   * Exit status when the member stopped itself while running (an error it cannot recover from, such
   * as damage found in its journal); a supervisor should start it again.
   */
  public static final int MEMBER_FAILED = 70;

  private SteadfastServer() {}

  @CommandLine.Command(
      name = "steadfast-server",
      mixinStandardHelpOptions = true,
      description = "Runs one Steadfast member.")
  static final class Flags {
    @CommandLine.Option(
        names = "--config",
        paramLabel = "FILE",
        description = "properties file with the member's settings")
    @Nullable Path config;

    @CommandLine.Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "a setting, overriding the file and the environment")
    Map<String, String> set = new LinkedHashMap<>();

    @CommandLine.Option(names = "--keys", description = "list every setting and exit")
    boolean keys;
  }

  /**
   * Parses {@code args}, starts the member, and blocks until the JVM stops. Never returns normally:
   * bad flags or settings exit with status {@value #CONFIGURATION_ERROR}.
   */
  public static <C, R> void run(
      String[] args, Supplier<ResilientApplication<C, R>> applications, CommandCodec<C, R> codec) {
    poolAsyncSteps();
    installLogging();
    Flags flags = new Flags();
    CommandLine line = new CommandLine(flags);
    try {
      line.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      line.usage(System.err);
      System.exit(CONFIGURATION_ERROR);
      return;
    }
    if (line.isUsageHelpRequested()) {
      line.usage(System.out);
      System.exit(0);
    }
    if (flags.keys) {
      ServerConfig.KEYS.forEach(
          (key, meaning) ->
              System.out.printf(
                  "%-34s %s (env %s)%n", key, meaning, ServerConfig.environmentName(key)));
      System.exit(0);
    }
    Running<C, R> running;
    Path storage;
    try {
      ServerConfig config = ServerConfig.load(flags.config, System.getenv(), flags.set);
      running = start(config, applications, codec);
      storage = Path.of(config.require("storage.dir"));
    } catch (ConfigurationException e) {
      System.err.println("steadfast-server: setting '" + e.setting() + "': " + e.getMessage());
      System.exit(CONFIGURATION_ERROR);
      return;
    } catch (StorageRepairException e) {
      System.err.println("steadfast-server: " + e.getMessage());
      System.exit(STORAGE_ERROR);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "steadfast-shutdown"));
    // A member that stops itself (an error it cannot recover from while running, such as damage
    // found in its journal) ends the process, so that its supervisor starts it again and the
    // start-time repair runs.
    while (!running.awaitStop(Duration.ofSeconds(1))) {
      if (running.stoppedItself()) {
        if (java.nio.file.Files.exists(storage.resolve("PROMOTE-REPLICA"))) {
          LOG.warn(
              "{}: stopped for its promotion; exiting so that its supervisor starts it again,"
                  + " promoted",
              running.node().id());
        } else {
          LOG.error("{}: the member stopped itself; exiting for a restart", running.node().id());
        }
        System.exit(MEMBER_FAILED);
      }
    }
  }

  /** The JDK's system property for the common fork-join pool's parallelism. */
  static final String POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * Gives the common fork-join pool at least two threads unless the operator set its parallelism:
   * below two (the JDK's default on two CPUs or fewer), every asynchronous step without an executor
   * starts a thread of its own, and the engine's backups take such a step for every replicated
   * entry. Runs first, before anything uses the pool; a JVM option {@code -D}{@value
   * #POOL_PARALLELISM} wins.
   */
  static void poolAsyncSteps() {
    if (System.getProperty(POOL_PARALLELISM) == null) {
      System.setProperty(
          POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  /** Routes java.util.logging (gRPC's) through SLF4J. */
  static void installLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** A started member and how to stop it. */
  public static final class Running<C, R> {
    private final SteadfastNode<C, R> node;
    private final List<NodeId> others;
    private final Duration handover;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile @Nullable MemberMetrics metrics;
    private volatile @Nullable PeerStatus peerStatus;

    Running(SteadfastNode<C, R> node, List<NodeId> others, Duration handover) {
      this.node = node;
      this.others = List.copyOf(others);
      this.handover = handover;
    }

    /** The member. */
    public SteadfastNode<C, R> node() {
      return node;
    }

    /** The port of the metrics endpoint, or -1 without one. */
    public int metricsPort() {
      MemberMetrics serving = metrics;
      return serving == null ? -1 : serving.port();
    }

    /** Hands over if primary (bounded), then stops the member. Idempotent. */
    public void stop() {
      // Before the member closes: from here on its stop is asked for, not an error of its own.
      stopRequested = true;
      if (stopped.getCount() == 0) {
        return;
      }
      try {
        if (node.isPrimary() && !others.isEmpty()) {
          handOver();
        }
      } finally {
        MemberMetrics serving = metrics;
        if (serving != null) {
          serving.close();
        }
        node.close();
        stopped.countDown();
      }
    }

    private void handOver() {
      long end = System.nanoTime() + handover.toNanos();
      for (NodeId target : candidates()) {
        long left = end - System.nanoTime();
        if (left <= 0 || !node.isPrimary()) {
          break;
        }
        CompletableFuture<Void> transfer =
            CompletableFuture.runAsync(() -> node.switchoverTo(target));
        try {
          transfer.get(left, TimeUnit.NANOSECONDS);
          LOG.info("{}: handed over to {} before stopping", node.id(), target);
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          LOG.warn(
              "{}: hand-over to {} failed: {}", node.id(), target, String.valueOf(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
          transfer.cancel(true);
          LOG.warn("{}: hand-over to {} took longer than {}", node.id(), target, handover);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (node.isPrimary()) {
        LOG.warn("{}: stopping as primary; the others elect a new one", node.id());
      }
    }

    /**
     * The other members, best first: ready ones before the rest, and among them the one up longest
     * (a member started seconds ago runs cold and takes noticeably longer to become a ready
     * primary); configuration order where a member's status cannot be read.
     */
    private List<NodeId> candidates() {
      PeerStatus status = peerStatus;
      return status == null ? others : bestFirst(others, status::score);
    }

    /**
     * Whether the member stopped without {@link #stop()} being called: an error it could not
     * recover from while running (damage found in its journal, say), after which the process should
     * end so that a supervisor starts it again. A stop that was asked for (the shutdown hook on
     * SIGTERM) is not this, even while it is still closing the member.
     */
    public boolean stoppedItself() {
      return !stopRequested && node.stopped();
    }

    /** Blocks until {@link #stop()} ran. */
    public void awaitStop() {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits up to {@code timeout} for {@link #stop}; whether it happened. */
    boolean awaitStop(Duration timeout) {
      try {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
  }

  /**
   * Builds and starts the member {@code config} describes.
   *
   * @throws ConfigurationException naming the first bad key
   */
  public static <C, R> Running<C, R> start(
      ServerConfig config,
      Supplier<ResilientApplication<C, R>> applications,
      CommandCodec<C, R> codec) {
    NodeId self = NodeId.of(config.require("node.id"));
    List<ServerConfig.Member> members = config.members();
    ServerConfig.Member own =
        members.stream()
            .filter(m -> m.id().equals(self))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "node.id", "member " + self + " is not among the members"));
    NodeSecurity security = security(config);
    String scheme = security.tlsFiles() == null ? "http" : "https";
    InetSocketAddress http =
        config
            .get("http.bind")
            .map(
                bind ->
                    ServerConfig.address("http.bind", bind, String.valueOf(own.http().getPort())))
            .orElse(own.http());
    SteadfastNode.Builder<C, R> builder =
        SteadfastNode.<C, R>builder()
            .id(self)
            .storage(Path.of(config.require("storage.dir")))
            .application(applications)
            .codec(codec)
            .http(http)
            .security(security);
    config.get("cluster.name").ifPresent(builder::cluster);
    List<NodeId> others = new ArrayList<>();
    for (ServerConfig.Member member : members) {
      builder.peer(member.id(), member.raft());
      builder.peerEndpoint(
          member.id(),
          URI.create(
              scheme + "://" + member.http().getHostString() + ":" + member.http().getPort()));
      if (!member.id().equals(self)) {
        others.add(member.id());
      }
    }
    LeaderRehearsal.ElectionTimeout election =
        config
            .numbers("election.timeout", "-", 2)
            .map(
                v ->
                    new LeaderRehearsal.ElectionTimeout(
                        Duration.ofMillis(v.get(0)), Duration.ofMillis(v.get(1))))
            .orElse(null);
    if (election != null) {
      builder.electionTimeout(election.min(), election.max());
    }
    config.millis("request.deadline").ifPresent(builder::requestDeadline);
    config.positive("checkpoint.every").ifPresent(builder::checkpointEvery);
    config.decimal("checkpoint.journal-ratio", 0, 1000).ifPresent(builder::checkpointJournalRatio);
    config.positive("segment.size").ifPresent(builder::segmentSize);
    config.millis("storage.repair-wait").ifPresent(builder::repairWait);
    config
        .get("storage.verify-interval")
        .ifPresent(
            v ->
                builder.verifyStorageEvery(
                    "0".equals(v.trim())
                        ? Duration.ZERO
                        : config.millis("storage.verify-interval").orElseThrow()));
    if (config.get("election.dead-primary-probe").isPresent()) {
      builder.deadPrimaryProbe(config.flag("election.dead-primary-probe"));
    }
    config
        .get("audit.interval")
        .ifPresent(
            v ->
                builder.auditEvery(
                    "0".equals(v.trim())
                        ? Duration.ZERO
                        : config.millis("audit.interval").orElseThrow()));
    if (config.flag("audit.resync")) {
      builder.resyncDiffering(true);
    }
    if (config.flag("join")) {
      builder.joining();
    }
    if (config.flag("storage.accept-journal-loss")) {
      builder.acceptJournalLoss();
    }
    config
        .numbers("group-commit", ",", 3)
        .ifPresent(
            v ->
                builder.groupCommit(
                    Math.toIntExact(v.get(0)),
                    Math.toIntExact(v.get(1)),
                    Math.toIntExact(v.get(2))));
    if (config.get("health.interval").isPresent() || config.get("health.probes").isPresent()) {
      builder.healthProbe(
          config.millis("health.interval").orElse(Duration.ofSeconds(1)),
          Math.toIntExact(config.positive("health.probes").orElse(3L)));
    }
    if (config.flag("commands.permit-unannotated")) {
      builder.permitUnannotatedCommands();
    }
    // Read with the other settings, so that a bad value stops the start before the member runs.
    LeaderRehearsal rehearsal =
        new LeaderRehearsal(
            Math.toIntExact(config.whole("rehearsal.commands", 0, 100_000).orElse(2_000L)),
            config.millis("rehearsal.delay").orElse(Duration.ofSeconds(5)),
            election);
    InetSocketAddress metricsBind = metricsBind(config);
    PrometheusMeterRegistry registry = null;
    if (metricsBind != null) {
      MemberMetrics.check(metricsBind, config.flag("security.insecure"));
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      builder.meterRegistry(registry);
    }
    SteadfastNode<C, R> node = builder.build();
    node.addRoleListener(
        change ->
            LOG.info(
                "role {}: {} -> {} ({}) epoch {}",
                change.node(),
                change.from(),
                change.to(),
                change.reason(),
                change.epoch()));
    Running<C, R> running =
        new Running<>(
            node, others, config.millis("shutdown.handover-timeout").orElse(Duration.ofSeconds(5)));
    running.peerStatus = new PeerStatus(members, self, security);
    // Metrics listen before the node starts, so that its first role changes are counted too.
    if (metricsBind != null && registry != null) {
      running.metrics = MemberMetrics.start(node, registry, metricsBind);
    }
    try {
      node.start();
    } catch (RuntimeException e) {
      MemberMetrics serving = running.metrics;
      if (serving != null) {
        serving.close();
      }
      throw e;
    }
    rehearsal.startOnce(self, () -> LeaderRehearsal.stateOf(node));
    return running;
  }

  /**
   * {@code members} ordered by {@code score}, highest first, each scored once; equal scores keep
   * their order.
   */
  static List<NodeId> bestFirst(
      List<NodeId> members, java.util.function.ToLongFunction<NodeId> score) {
    Map<NodeId, Long> scores = new java.util.HashMap<>();
    members.forEach(member -> scores.put(member, score.applyAsLong(member)));
    List<NodeId> ordered = new ArrayList<>(members);
    ordered.sort(java.util.Comparator.comparing((NodeId m) -> scores.get(m)).reversed());
    return ordered;
  }

  /** Reads the other members' status over HTTP, as a member, for choosing a hand-over target. */
  static final class PeerStatus {
    private final Map<NodeId, URI> endpoints = new TreeMap<>();
    private final java.net.http.HttpClient http;
    private final @Nullable String secret;

    PeerStatus(List<ServerConfig.Member> members, NodeId self, NodeSecurity security) {
      String scheme = security.tlsFiles() == null ? "http" : "https";
      for (ServerConfig.Member member : members) {
        if (!member.id().equals(self)) {
          endpoints.put(
              member.id(),
              URI.create(
                  scheme
                      + "://"
                      + member.http().getHostString()
                      + ":"
                      + member.http().getPort()
                      + "/steadfast/v1/status"));
        }
      }
      java.net.http.HttpClient.Builder builder =
          java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300));
      TlsFiles tls = security.tlsFiles();
      if (tls != null) {
        builder.sslContext(tls.context());
      }
      this.http = builder.build();
      this.secret = security.memberSecretOrNull();
    }

    /** A member's fitness from its status fields: ready ones first, then the one up longest. */
    static long score(Map<String, Object> status) {
      long up = status.get("upMillis") instanceof Number n ? n.longValue() : 0;
      boolean ready = Boolean.TRUE.equals(status.get("ready"));
      return (ready ? 1L << 40 : 0) + Math.max(0, Math.min(up, (1L << 40) - 1));
    }

    /** Higher is better: ready members first, then by time up; 0 when unknown. */
    long score(NodeId peer) {
      URI uri = endpoints.get(peer);
      if (uri == null) {
        return 0;
      }
      try {
        java.net.http.HttpRequest.Builder request =
            java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(500));
        if (secret != null) {
          request.header(NodeSecurity.MEMBER_HEADER, secret);
        }
        java.net.http.HttpResponse<String> response =
            http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          return 0;
        }
        return score(com.nimbusds.jose.util.JSONObjectUtils.parse(response.body()));
      } catch (IOException | java.text.ParseException | RuntimeException e) {
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
  }

  /** The metrics address, checked (loopback unless insecure) before anything starts. */
  private static @Nullable InetSocketAddress metricsBind(ServerConfig config) {
    if (config.get("metrics.bind").isEmpty()) {
      return null;
    }
    String bind = config.require("metrics.bind");
    int colon = bind.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException("metrics.bind", "must be host:port, got " + bind);
    }
    InetSocketAddress address =
        ServerConfig.address("metrics.bind", bind.substring(0, colon), bind.substring(colon + 1));
    MemberMetrics.check(address, config.flag("security.insecure"));
    return address;
  }

  /** The security settings {@code config} names. */
  static NodeSecurity security(ServerConfig config) {
    NodeSecurity security = NodeSecurity.loopback();
    if (config.get("tls.certificate").isPresent()
        || config.get("tls.key").isPresent()
        || config.get("tls.authorities").isPresent()) {
      security =
          security.tls(
              TlsFiles.of(
                  Path.of(config.require("tls.certificate")),
                  Path.of(config.require("tls.key")),
                  Path.of(config.require("tls.authorities"))));
    }
    if (config.get("tls.client-authorities").isPresent()) {
      security =
          security.clientCertificates(
              Path.of(config.require("tls.client-authorities")), clientRoles(config));
    }
    Authenticator jwt = jwt(config);
    if (jwt != null) {
      security = security.authenticator(jwt);
    }
    if (config.get("security.member-secret").isPresent()) {
      security = security.memberSecret(config.require("security.member-secret"));
    }
    if (config.get("security.max-request-bytes").isPresent()) {
      security =
          security.maxRequestBytes(
              Math.toIntExact(config.positive("security.max-request-bytes").orElseThrow()));
    }
    if (config.get("security.max-concurrent-requests").isPresent()) {
      security =
          security.maxConcurrentRequests(
              Math.toIntExact(config.positive("security.max-concurrent-requests").orElseThrow()));
    }
    if (config.flag("security.insecure")) {
      security = security.insecure();
    }
    return security;
  }

  private static @Nullable Authenticator jwt(ServerConfig config) {
    boolean jwks = config.get("auth.jwt.jwks").isPresent();
    boolean pem = config.get("auth.jwt.public-key").isPresent();
    if (jwks && pem) {
      throw new ConfigurationException(
          "auth.jwt.public-key", "give auth.jwt.jwks or auth.jwt.public-key, not both");
    }
    if (!jwks && !pem) {
      for (String key : List.of("auth.jwt.issuer", "auth.jwt.audience", "auth.jwt.roles-claim")) {
        if (config.get(key).isPresent()) {
          throw new ConfigurationException(key, "needs auth.jwt.jwks or auth.jwt.public-key");
        }
      }
      return null;
    }
    JwtAuthenticator authenticator =
        jwks
            ? JwtAuthenticator.jwks(Path.of(config.require("auth.jwt.jwks")))
            : JwtAuthenticator.publicKey(Path.of(config.require("auth.jwt.public-key")));
    if (config.get("auth.jwt.issuer").isPresent()) {
      authenticator = authenticator.issuer(config.require("auth.jwt.issuer"));
    }
    if (config.get("auth.jwt.audience").isPresent()) {
      authenticator = authenticator.audience(config.require("auth.jwt.audience"));
    }
    if (config.get("auth.jwt.roles-claim").isPresent()) {
      authenticator = authenticator.rolesClaim(config.require("auth.jwt.roles-claim"));
    }
    return authenticator;
  }

  private static Map<String, Set<String>> clientRoles(ServerConfig config) {
    Map<String, Set<String>> roles = new TreeMap<>();
    for (String entry : config.get("auth.client-roles").orElse("").split(";", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      String[] nameAndRoles = entry.split("=", 2);
      if (nameAndRoles.length != 2 || nameAndRoles[0].isBlank()) {
        throw new ConfigurationException(
            "auth.client-roles", "each entry must be cn=role|role, got '" + entry + "'");
      }
      Set<String> set = new TreeSet<>();
      for (String role : nameAndRoles[1].split("\\|", -1)) {
        if (!role.isBlank()) {
          set.add(role.trim());
        }
      }
      roles.put(nameAndRoles[0].trim(), set);
    }
    return roles;
  }
}
