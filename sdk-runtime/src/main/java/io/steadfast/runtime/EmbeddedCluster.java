package io.steadfast.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.internal.client.Routing;
import io.steadfast.runtime.security.Authenticator;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.runtime.security.NodeSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@link SteadfastNode}s in one JVM on free loopback ports: the embedded default for demos,
 * tests and the certification kit. Nodes are named {@code n1}, {@code n2}, … unless {@link
 * Builder#nodeNames} says otherwise.
 *
 * <p>Thread-safe. {@link #close()} stops every node and deletes temporary storage.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class EmbeddedCluster<C, R> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

  private final Settings<C, R> settings;
  private final Map<NodeId, InetSocketAddress> addresses = new TreeMap<>();
  private final Map<NodeId, InetSocketAddress> httpAddresses = new TreeMap<>();
  private final Map<NodeId, SteadfastNode<C, R>> nodes = new TreeMap<>();

  /**
   * The engine side of every node in {@link #nodes}, in id order: a copy replaced whenever a node
   * joins or leaves (under this object's lock), read without it. Every session's every request
   * reads it to find the primary; with many sessions the lock was contended on each request.
   */
  private volatile List<NodeRuntime<C, R>> runtimes = List.of();

  // Nodes restarted with another release of the application (rolling upgrades); guarded by this.
  private final Map<NodeId, Supplier<ResilientApplication<C, R>>> releases = new TreeMap<>();
  private final Path storage;
  private final boolean temporary;

  @SuppressWarnings("AddressSelection")
  private EmbeddedCluster(Settings<C, R> settings, Path storage, boolean temporary) {
    this.settings = settings;
    this.storage = storage;
    this.temporary = temporary;
    int[] free = freePorts(2 * settings.size());
    // Literal loopback addresses: nothing is resolved (Error Prone's AddressSelection is about
    // names).
    Map<NodeId, InetSocketAddress> ports = new TreeMap<>();
    Map<NodeId, InetSocketAddress> http = new TreeMap<>();
    for (int i = 1; i <= settings.size(); i++) {
      ports.put(NodeId.of(settings.prefix() + i), new InetSocketAddress("127.0.0.1", free[i - 1]));
      http.put(
          NodeId.of(settings.prefix() + i),
          new InetSocketAddress("127.0.0.1", free[settings.size() + i - 1]));
    }
    this.addresses.putAll(ports);
    this.httpAddresses.putAll(http);
  }

  /** A builder for a cluster. */
  public static <C, R> Builder<C, R> builder() {
    return new Builder<>();
  }

  private void startAll() {
    for (NodeId id : List.copyOf(addresses.keySet())) {
      startNode(id, false);
    }
    primary();
  }

  private synchronized SteadfastNode<C, R> startNode(NodeId id, boolean joining) {
    Supplier<ResilientApplication<C, R>> release = releases.get(id);
    SteadfastNode.Builder<C, R> builder =
        SteadfastNode.<C, R>builder()
            .id(id)
            .storage(storage.resolve(id.value()))
            .options(
                release == null ? settings.options() : settings.options().withApplication(release))
            .security(settings.security())
            .http(Objects.requireNonNull(httpAddresses.get(id), "http address"));
    addresses.forEach(builder::peer);
    endpoints().forEach(builder::peerEndpoint);
    if (joining) {
      builder.joining();
    }
    SteadfastNode<C, R> node = builder.build();
    // Sessions opened on this node settle through the whole cluster once it is gone.
    node.runtime().fallback(new Routing.Cluster<C, R>(this::runtimes));
    settings.onNode().accept(node);
    nodes.put(id, node);
    nodesChanged();
    node.start();
    return node;
  }

  /** The engine side of every node, for routing. */
  private List<NodeRuntime<C, R>> runtimes() {
    return runtimes;
  }

  /** Called with this object's lock held after {@link #nodes} changed. */
  private void nodesChanged() {
    runtimes = nodes.values().stream().map(SteadfastNode::runtime).toList();
  }

  /** Every node, running or not, by id. */
  public synchronized List<SteadfastNode<C, R>> nodes() {
    return List.copyOf(nodes.values());
  }

  /** The node {@code id}. */
  public synchronized SteadfastNode<C, R> node(NodeId id) {
    SteadfastNode<C, R> node = nodes.get(id);
    if (node == null) {
      throw new ConfigurationException(
          "node", "unknown node " + id + "; members are " + nodes.keySet());
    }
    return node;
  }

  /** The members' ids (those added later included, those removed not). */
  public synchronized Collection<NodeId> ids() {
    return List.copyOf(addresses.keySet());
  }

  /**
   * Grows the cluster by one node: starts it (the next free id, {@code n4} after {@code n3})
   * outside the configuration, has the primary add it ({@link SteadfastNode#addMember}), and
   * returns it once the change is committed. The new node has then received the newest checkpoint
   * and the journal after it.
   *
   * @throws SteadfastException if the change failed; the new node is then stopped and forgotten
   */
  public SteadfastNode<C, R> addNode() {
    SteadfastNode<C, R> node = startNewNode();
    try {
      primary().addMember(memberOf(node.id()));
      return node;
    } catch (RuntimeException e) {
      forget(node.id());
      throw e;
    }
  }

  /**
   * Starts a new node and adds it as a disaster-recovery replica ({@link
   * SteadfastNode#addReplica}); returns it once the change is committed. It receives every entry,
   * never votes and is never elected. {@link #removeNode} removes it again.
   */
  public SteadfastNode<C, R> addReplica() {
    SteadfastNode<C, R> node = startNewNode();
    try {
      primary().addReplica(memberOf(node.id()));
      return node;
    } catch (RuntimeException e) {
      forget(node.id());
      throw e;
    }
  }

  /**
   * Shrinks the cluster by one node: the primary removes {@code id} from the configuration
   * (switching over first when {@code id} is the primary), then the node is stopped and forgotten
   * (its storage stays until the cluster is closed).
   *
   * @throws ConfigurationException if {@code id} is not a member or is the last
   */
  public void removeNode(NodeId id) {
    node(id);
    if (primary().id().equals(id)) {
      NodeId other =
          ids().stream()
              .filter(n -> !n.equals(id) && !node(n).stopped())
              .findFirst()
              .orElseThrow(
                  () -> new ConfigurationException("node", "no other running node to take over"));
      switchover(other);
    }
    primary().removeMember(id);
    forget(id);
  }

  /**
   * Replaces {@code old} (crashed, stopped or running) by a new node in one membership change, as
   * an operator replaces a member whose host was lost, and returns the new node once the change is
   * committed. {@code old} is stopped and forgotten.
   */
  public SteadfastNode<C, R> replaceNode(NodeId old) {
    node(old);
    if (primary().id().equals(old)) {
      throw new ConfigurationException("node", old + " is the primary; switch over first");
    }
    SteadfastNode<C, R> node = startNewNode();
    try {
      primary().replaceMember(old, memberOf(node.id()));
    } catch (RuntimeException e) {
      forget(node.id());
      throw e;
    }
    forget(old);
    return node;
  }

  // Literal loopback addresses, as at start: nothing is resolved.
  @SuppressWarnings("AddressSelection")
  private synchronized SteadfastNode<C, R> startNewNode() {
    int next = 1;
    String prefix = settings.prefix();
    while (addresses.containsKey(NodeId.of(prefix + next))
        || nodes.containsKey(NodeId.of(prefix + next))
        || java.nio.file.Files.exists(storage.resolve(prefix + next))) {
      next++;
    }
    NodeId id = NodeId.of(prefix + next);
    int[] free = freePorts(2);
    addresses.put(id, new InetSocketAddress("127.0.0.1", free[0]));
    httpAddresses.put(id, new InetSocketAddress("127.0.0.1", free[1]));
    try {
      return startNode(id, true);
    } catch (RuntimeException e) {
      addresses.remove(id);
      httpAddresses.remove(id);
      nodes.remove(id);
      nodesChanged();
      throw e;
    }
  }

  private synchronized Member memberOf(NodeId id) {
    return new Member(
        id, Objects.requireNonNull(addresses.get(id), "address"), endpoints().get(id));
  }

  /** Stops {@code id} if it runs and drops it from the cluster's nodes and addresses. */
  private void forget(NodeId id) {
    SteadfastNode<C, R> node;
    synchronized (this) {
      node = nodes.remove(id);
      nodesChanged();
      addresses.remove(id);
      httpAddresses.remove(id);
    }
    if (node != null && !node.stopped()) {
      node.runtime().beginShutdown();
      node.close();
    }
  }

  /**
   * The primary, waiting up to the request deadline for one to be elected and ready. A primary
   * deposed while cut off still believes it leads until it hears from the others; when two nodes
   * believe so, the one elected in the later epoch is returned.
   *
   * @throws SteadfastException if none is ready in time
   */
  public SteadfastNode<C, R> primary() {
    long end = System.nanoTime() + settings.requestDeadline().toNanos();
    while (System.nanoTime() < end) {
      var newest = Routing.Cluster.newestPrimary(runtimes());
      if (newest != null) {
        return node(newest.id());
      }
      pause();
    }
    throw new SteadfastException("no primary within " + settings.requestDeadline());
  }

  /** A client whose sessions follow the primary across failovers and switchovers. */
  public SteadfastClient<C, R> client() {
    return new SteadfastClient<>(
        settings.codec(), new Routing.Cluster<C, R>(this::runtimes), settings.requestDeadline());
  }

  /** Each node's HTTP endpoint, for remote clients and load-balancer checks. */
  public synchronized Map<NodeId, java.net.URI> endpoints() {
    Map<NodeId, java.net.URI> uris = new TreeMap<>();
    httpAddresses.forEach(
        (id, address) ->
            uris.put(
                id,
                java.net.URI.create(
                    "http://" + address.getHostString() + ":" + address.getPort())));
    return uris;
  }

  /**
   * A client that reaches the cluster over HTTP, as a remote web tier would, proving who it is with
   * {@code credentials} to the cluster's {@link Builder#authenticator}.
   */
  public SteadfastClient<C, R> remoteClient(ClientCredentials credentials) {
    return SteadfastClient.remote(
        settings.codec(), endpoints(), settings.requestDeadline(), credentials);
  }

  /** Stops {@code id} as a killed process would stop; its storage stays for {@link #restart}. */
  public void crash(NodeId id) {
    node(id).crash();
  }

  /** Stops {@code id} gracefully. */
  public void stop(NodeId id) {
    node(id).close();
  }

  /**
   * Starts {@code id} again from its storage, with a fresh application instance from the factory it
   * last started with.
   */
  public SteadfastNode<C, R> restart(NodeId id) {
    SteadfastNode<C, R> old = node(id);
    if (!old.stopped()) {
      throw new IllegalStateException("node " + id + " is running; crash or stop it first");
    }
    return startNode(id, false);
  }

  /**
   * Starts {@code id} again from its storage running other code: the step of a rolling upgrade that
   * replaces one member's release (see {@link SteadfastNode#finalizeVersion}). The node keeps this
   * factory for later restarts; the others keep theirs, so a cluster can run two releases side by
   * side.
   *
   * @param application the factory of the release the node runs from now on
   * @throws IllegalStateException if the node is running
   */
  public SteadfastNode<C, R> restart(NodeId id, Supplier<ResilientApplication<C, R>> application) {
    Objects.requireNonNull(application, "application");
    SteadfastNode<C, R> old = node(id);
    if (!old.stopped()) {
      throw new IllegalStateException("node " + id + " is running; crash or stop it first");
    }
    synchronized (this) {
      releases.put(id, application);
    }
    return startNode(id, false);
  }

  /**
   * Moves the primary role to {@code target} and waits until it is ready there. A transfer whose
   * election the target loses (possible on a loaded machine) is asked for again until the request
   * deadline.
   */
  public void switchover(NodeId target) {
    SteadfastNode<C, R> to = node(target);
    long end = System.nanoTime() + settings.requestDeadline().toNanos();
    SteadfastException last = null;
    while (!to.isPrimary()) {
      if (System.nanoTime() > end) {
        throw new SteadfastException(
            "switchover to " + target + " did not complete within " + settings.requestDeadline(),
            last);
      }
      try {
        primary().switchoverTo(target);
      } catch (SteadfastException e) {
        // Refused at once (the primary moved, or the engine was still busy with an earlier
        // transfer): ask again shortly rather than waiting for a hand-over that was never begun.
        last = e;
        LOG.debug("switchover to {} refused, asking again: {}", target, e.toString());
        pause();
        continue;
      }
      long settle = System.nanoTime() + settings.requestDeadline().toNanos() / 10;
      while (!to.isPrimary() && System.nanoTime() < settle) {
        pause();
      }
    }
  }

  /** Every running node's status, by id. */
  public List<NodeStatus> status() {
    List<NodeStatus> statuses = new ArrayList<>();
    for (SteadfastNode<C, R> node : nodes()) {
      if (!node.stopped()) {
        statuses.add(node.status());
      }
    }
    return statuses;
  }

  /** Where the nodes keep their storage ({@code <storage>/<node id>}). */
  public Path storage() {
    return storage;
  }

  /**
   * Stops every running node and deletes temporary storage. The nodes are told first that the whole
   * cluster is ending, so the last primary's step-down is reported as its end, not as a failover.
   *
   * <p>No thread of the cluster outlives this call except Apache Ratis's eight JVM-wide daemon
   * timer threads ({@code timer0} to {@code timer7}), which Ratis starts on first use and offers no
   * way to stop; they never keep a JVM from exiting. Under {@code exec:java}, set {@code
   * cleanupDaemonThreads} to {@code false} (as the demo does) or the plugin waits 15 s for them.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    // First tell every node the cluster is ending, so that the primary losing its backups one by
    // one is not reported to the application as a failover.
    nodes().forEach(node -> node.runtime().beginShutdown());
    for (SteadfastNode<C, R> node : nodes()) {
      try {
        node.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (temporary) {
      deleteTree(storage);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /** {@code count} distinct free loopback ports: all sockets are held open together. */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        socket.setReuseAddress(true);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SteadfastException("interrupted", e);
    }
  }

  private record Settings<C, R>(
      int size,
      String prefix,
      NodeOptions<C, R> options,
      Consumer<SteadfastNode<C, R>> onNode,
      NodeSecurity security) {

    CommandCodec<C, R> codec() {
      return options.codec();
    }

    Duration requestDeadline() {
      return options.requestDeadline();
    }
  }

  /**
   * Builds and starts an {@link EmbeddedCluster}. The node options and their defaults are those of
   * {@link SteadfastNode.Builder}.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder<C, R> {
    private int size = 3;
    private String prefix = "n";
    private @Nullable Path storage;
    private NodeOptions<C, R> options = NodeOptions.defaults();
    private Consumer<SteadfastNode<C, R>> onNode = node -> {};
    private @Nullable Authenticator authenticator;

    private Builder() {}

    /**
     * Authenticates remote clients of the nodes' endpoints (see {@link #remoteClient}). Without
     * one, the endpoints refuse session requests. The nodes recognise each other by a random member
     * secret made for this cluster; the cluster listens on loopback only, without TLS.
     */
    public Builder<C, R> authenticator(Authenticator value) {
      this.authenticator = Objects.requireNonNull(value, "authenticator");
      return this;
    }

    /** Health probing of every node; see {@link SteadfastNode.Builder#healthProbe}. */
    public Builder<C, R> healthProbe(Duration interval, int probesBeforeHandOver) {
      options = options.withHealthProbe(interval, probesBeforeHandOver);
      return this;
    }

    /** The number of nodes, 1 to 9. Default 3. */
    public Builder<C, R> nodes(int count) {
      if (count < 1 || count > 9) {
        throw new ConfigurationException("nodes", "must be 1 to 9: " + count);
      }
      this.size = count;
      return this;
    }

    /**
     * What the nodes' ids begin with, followed by 1, 2, … Default {@code n}. Worth setting where
     * the nodes' log lines share a log with other members, to tell them apart.
     *
     * @throws ConfigurationException if the prefix followed by 1 is not a valid node id
     */
    public Builder<C, R> nodeNames(String prefix) {
      try {
        NodeId.of(prefix + 1);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("nodeNames", String.valueOf(e.getMessage()));
      }
      this.prefix = prefix;
      return this;
    }

    /** Makes fresh application instances. Required. */
    public Builder<C, R> application(Supplier<ResilientApplication<C, R>> factory) {
      options = options.withApplication(factory);
      return this;
    }

    /** The codec. Required. */
    public Builder<C, R> codec(CommandCodec<C, R> codec) {
      options = options.withCodec(codec);
      return this;
    }

    /** Keep storage under {@code directory} (kept on close). Default: a temporary folder. */
    public Builder<C, R> storage(Path directory) {
      this.storage = Objects.requireNonNull(directory, "storage");
      return this;
    }

    /** The randomized election timeout; see {@link SteadfastNode.Builder#electionTimeout}. */
    public Builder<C, R> electionTimeout(Duration min, Duration max) {
      options = options.withElectionTimeout(min, max);
      return this;
    }

    /**
     * Commands between automatic checkpoints; see {@link SteadfastNode.Builder#checkpointEvery}.
     */
    public Builder<C, R> checkpointEvery(long commands) {
      options = options.withCheckpointEvery(commands);
      return this;
    }

    /**
     * How much journal an automatic checkpoint also waits for, as a multiple of the last
     * checkpoint's size; see {@link SteadfastNode.Builder#checkpointJournalRatio}.
     */
    public Builder<C, R> checkpointJournalRatio(double ratio) {
      options = options.withCheckpointJournalRatio(ratio);
      return this;
    }

    /** Journal segment size; see {@link SteadfastNode.Builder#segmentSize}. */
    public Builder<C, R> segmentSize(long bytes) {
      options = options.withSegmentSize(bytes);
      return this;
    }

    /** Group commit limits; see {@link SteadfastNode.Builder#groupCommit}. */
    public Builder<C, R> groupCommit(int maxRequests, int maxBytes, int inFlight) {
      options = options.withGroupCommit(maxRequests, maxBytes, inFlight);
      return this;
    }

    /** How long a request (or waiting for a primary) may take. Default 10 s. */
    public Builder<C, R> requestDeadline(Duration deadline) {
      options = options.withRequestDeadline(deadline);
      return this;
    }

    /** See {@link SteadfastNode.Builder#permitUnannotatedCommands}. */
    public Builder<C, R> permitUnannotatedCommands() {
      options = options.withUnannotatedCommandsPermitted();
      return this;
    }

    /** The clock primaries stamp batches with. Default UTC system clock. */
    public Builder<C, R> clock(Clock clock) {
      options = options.withClock(clock);
      return this;
    }

    /** See {@link SteadfastNode.Builder#meterRegistry}; every member records into it. */
    public Builder<C, R> meterRegistry(MeterRegistry registry) {
      options = options.withMeterRegistry(registry);
      return this;
    }

    /** See {@link SteadfastNode.Builder#repairWait}. */
    public Builder<C, R> repairWait(Duration wait) {
      options = options.withRepairWait(wait);
      return this;
    }

    /** See {@link SteadfastNode.Builder#auditEvery}. */
    public Builder<C, R> auditEvery(Duration interval) {
      options = options.withAuditEvery(interval);
      return this;
    }

    /** See {@link SteadfastNode.Builder#resyncDiffering}. */
    public Builder<C, R> resyncDiffering(boolean resync) {
      options = options.withResyncDiffering(resync);
      return this;
    }

    /** See {@link SteadfastNode.Builder#verifyStorageEvery}. */
    public Builder<C, R> verifyStorageEvery(Duration interval) {
      options = options.withStorageVerifiedEvery(interval);
      return this;
    }

    /** See {@link SteadfastNode.Builder#deadPrimaryProbe}. */
    public Builder<C, R> deadPrimaryProbe(boolean enabled) {
      options = options.withDeadPrimaryProbe(enabled);
      return this;
    }

    /** See {@link SteadfastNode.Builder#acceptJournalLoss}. */
    public Builder<C, R> acceptJournalLoss() {
      options = options.withJournalLossAccepted();
      return this;
    }

    /** Called with each node after it is built and before it starts (to add listeners). */
    public Builder<C, R> onNode(Consumer<SteadfastNode<C, R>> callback) {
      this.onNode = Objects.requireNonNull(callback, "onNode");
      return this;
    }

    /**
     * Starts the cluster and waits for its first primary.
     *
     * @throws ConfigurationException if a required setting is missing
     */
    public EmbeddedCluster<C, R> start() {
      options.requireComplete();
      Path root;
      boolean temporary = storage == null;
      try {
        root =
            temporary
                ? Files.createTempDirectory("steadfast-cluster-")
                : Objects.requireNonNull(storage);
      } catch (IOException e) {
        throw new ConfigurationException("storage", "cannot create a temporary folder: " + e);
      }
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      NodeSecurity security =
          NodeSecurity.loopback().memberSecret(java.util.HexFormat.of().formatHex(secret));
      if (authenticator != null) {
        security = security.authenticator(authenticator);
      }
      Settings<C, R> settings = new Settings<>(size, prefix, options, onNode, security);
      for (int attempt = 1; ; attempt++) {
        EmbeddedCluster<C, R> cluster = new EmbeddedCluster<>(settings, root, temporary);
        try {
          cluster.startAll();
          return cluster;
        } catch (ConfigurationException e) {
          // A free port found a moment ago can be taken by another socket before a node binds
          // it; choose fresh ports and start again.
          cluster.close();
          if (attempt == 3 || !temporary || !"peer".equals(e.setting())) {
            throw e;
          }
          try {
            Files.createDirectories(root);
          } catch (IOException io) {
            throw new ConfigurationException("storage", "cannot recreate " + root + ": " + io);
          }
        } catch (RuntimeException e) {
          cluster.close();
          throw e;
        }
      }
    }
  }
}
