package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.security.TlsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ExitUtils;
import org.apache.ratis.util.ProtoUtils;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;

/**
 * One node's Ratis server: configuration, start, writes of journal entries, leadership transfer,
 * and the few facts about the engine the node reports.
 *
 * <p>Thread-safe.
 */
public final class RatisEngine implements AutoCloseable {

  static {
    // Ratis ends the whole JVM with System.exit when, for example, its gRPC port cannot be bound. A
    // library must not do that to its host: make Ratis throw instead, so start() reports it.
    // Ratis also installs a JVM-wide handler of uncaught exceptions the first time this setting is
    // touched (it logs and would exit); a library must not replace its host's handler either, so
    // the host's is put back.
    Thread.UncaughtExceptionHandler host = Thread.getDefaultUncaughtExceptionHandler();
    ExitUtils.disableSystemExit();
    Thread.setDefaultUncaughtExceptionHandler(host);
  }

  /** Ratis's multiple-linear retry: pairs of sleep and count, the last pair practically forever. */
  static final String APPENDER_RETRY_POLICY = "1ms,10, 50ms,40, 200ms,1000000000";

  /**
   * How much the journal file grows at a time (Ratis's preallocation), in bytes. Small, because a
   * new primary's first entry waits for a fresh segment file, with its fill, to reach the disk on
   * the primary and on a backup.
   */
  static final long JOURNAL_PREALLOCATION = 64 * 1024;

  /** The least time a member being added may go without answering before the change fails. */
  static final Duration STAGING_TIMEOUT_FLOOR = Duration.ofSeconds(10);

  /**
   * How long Ratis keeps the reply to each request in its retry cache (Ratis: 60 s). Nothing here
   * ever sends a request again under the same call id, so the cache never answers a retry;
   * exactly-once is the replicated session table's work. Kept for 60 s, the cache held about 35,000
   * replies per member at 8,000 commands a second, and G1 copied every one of them into the old
   * generation. An entry that expires before its request is applied is made afresh by Ratis at
   * apply, so even a shorter time would be safe; one second keeps it in place for any request
   * answered in time.
   */
  static final Duration RETRY_CACHE_EXPIRY = Duration.ofSeconds(1);

  private final NodeId nodeId;
  private final RaftPeerId peerId;
  private final RaftGroup group;
  private final RaftServer server;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final Duration requestTimeout;
  private final RaftProperties clientProperties;
  private final Parameters parameters;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RatisEngine.class);

  /**
   * The client this node asks each other member with directly, and the member's address it was
   * built with; guarded by this engine's lock. One client per member asked, knowing that member
   * alone: Ratis closes a client's connections on a new thread per member the client knows.
   */
  private final Map<NodeId, PeerClient> peerClients = new TreeMap<>();

  /**
   * A client for one member. {@code resets} counts the rebuilds of its connection and {@code
   * resetQueued} says one is waiting (see {@link #resetConnection}).
   */
  private record PeerClient(
      RaftClient client,
      Peer target,
      AtomicLong resets,
      java.util.concurrent.atomic.AtomicBoolean resetQueued) {}

  /** Set by {@link #close}, under this engine's lock: no peer client is built after it. */
  private boolean peersClosed;

  private RatisEngine(
      NodeId nodeId,
      RaftGroup group,
      RaftServer server,
      Duration requestTimeout,
      Parameters parameters) {
    this.parameters = parameters;
    this.clientProperties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties, millis(requestTimeout));
    this.nodeId = nodeId;
    this.peerId = RaftPeerId.valueOf(nodeId.value());
    this.group = group;
    this.server = server;
    this.requestTimeout = requestTimeout;
    this.promotionBreaker = new PromotionDeadlockBreaker(nodeId.value());
  }

  /** The group id for a cluster name: the same name always gives the same id. */
  public static RaftGroupId groupId(String cluster) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(cluster.getBytes(StandardCharsets.UTF_8)));
  }

  /** The folder where the engine keeps this group's journal and checkpoints. */
  public static Path groupDirectory(Path storage, String cluster) {
    return storage.resolve(groupId(cluster).getUuid().toString());
  }

  /**
   * One member of the engine's configuration: its id, its journal (Raft) address as {@code
   * host:port}, and its HTTP endpoint when it has one. The endpoint travels inside the Raft
   * configuration, in the peer's data-stream address (Ratis's data stream is not used here), so
   * every member and every restarted member learns the endpoints of members added later.
   *
   * @param id the member
   * @param journal its journal address, {@code host:port}
   * @param endpoint its HTTP endpoint URI, or null
   */
  public record Peer(NodeId id, String journal, @Nullable String endpoint) {

    RaftPeer toRaft() {
      RaftPeer.Builder builder = RaftPeer.newBuilder().setId(id.value()).setAddress(journal);
      if (endpoint != null) {
        builder.setDataStreamAddress(endpoint);
      }
      return builder.build();
    }

    static Peer of(RaftPeer peer) {
      String endpoint = peer.getDataStreamAddress();
      return new Peer(
          NodeId.of(peer.getId().toString()),
          peer.getAddress(),
          endpoint == null || endpoint.isEmpty() ? null : endpoint);
    }

    /** {@code host:port} of an address, as the engine writes it. */
    public static String journal(InetSocketAddress address) {
      return address.getHostString() + ":" + address.getPort();
    }
  }

  /**
   * Builds and starts the server.
   *
   * @param own where this node's engine listens
   * @param peers the configuration to start with when the storage holds none: every member, this
   *     node included; a node joining a running cluster leaves itself out and waits, outside the
   *     configuration, until the primary adds it. Once the journal holds a configuration (from the
   *     first start, or from a membership change), that one is used and this is ignored.
   * @param tls the member's TLS files: Raft runs over mutual TLS with them; null for plain
   * @param connectionEnded called whenever a connection to this node's journal port ends, on one of
   *     the engine's network threads (it must return at once)
   * @return the running engine
   */
  public static RatisEngine start(
      NodeId nodeId,
      String cluster,
      InetSocketAddress own,
      List<Peer> peers,
      Path storage,
      EngineSettings settings,
      @Nullable TlsFiles tls,
      org.apache.ratis.statemachine.StateMachine stateMachine,
      Runnable connectionEnded)
      throws IOException {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(storage.toFile()));
    GrpcConfigKeys.Server.setHost(properties, own.getHostString());
    GrpcConfigKeys.Server.setPort(properties, own.getPort());
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(settings.electionTimeoutMin()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(settings.electionTimeoutMax()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(settings.requestTimeout()));
    // A member being added is given this long without answering before the change is abandoned
    // (Ratis's default is three election timeouts, which a member busy installing a large
    // checkpoint on a loaded host can exceed although it is making progress).
    RaftServerConfigKeys.setStagingTimeout(
        properties,
        millis(
            settings.electionTimeoutMax().multipliedBy(3).compareTo(STAGING_TIMEOUT_FLOOR) > 0
                ? settings.electionTimeoutMax().multipliedBy(3)
                : STAGING_TIMEOUT_FLOOR));
    // A primary that stops hearing from a majority steps down, and Ratis then keeps it from
    // standing
    // for election for 10 s by default. When it holds the longest journal of the members still up
    // (one crashed, one restarted and behind), nobody else can win meanwhile: the cluster had no
    // primary for those 10 s (seen in SessionsIT). Pre-vote already stops a node that was cut off
    // from unseating a primary the others still follow, so one election timeout is enough.
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(
        properties, millis(settings.electionTimeoutMax()));
    // The state machine decides when to checkpoint (by commands, not entries) and writes in the
    // background; it then asks Ratis for a snapshot to have the journal purged.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, false);
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    // The state machine answers a snapshot request with the checkpoint before the newest, so the
    // journal reaches back exactly to the previous checkpoint; nothing more is kept.
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, 0);
    RaftServerConfigKeys.Log.setSegmentSizeMax(
        properties, SizeInBytes.valueOf(settings.segmentSizeBytes()));
    // The journal file grows by this much at a time, filled with zeros. Every new primary starts a
    // new segment file on itself and on each backup, and the first append to it forces the fill to
    // disk: with Ratis's 4 MiB that took 15-16 ms on each side in every failover, with 64 KiB 2-7
    // ms, and the smaller steps cost no measurable throughput (docs/performance.md).
    RaftServerConfigKeys.Log.setPreallocatedSize(
        properties, SizeInBytes.valueOf(JOURNAL_PREALLOCATION));
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // How long the primary waits before trying a backup it cannot reach again. Ratis's default
    // (1 ms ten times, then 1 s twenty times, then 5 s) means a backup restarted after more than a
    // few seconds away waits up to 5 s before the primary even notices it; this way at most about
    // 200 ms, for the price of a failed connection attempt every 200 ms while a backup is down.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(properties, APPENDER_RETRY_POLICY);
    // No commit-index entries. By default a Ratis leader appends one to its log each time the
    // commit index moves. During a planned switchover that sinks the transfer: the leader tells the
    // target to stand once the target holds its last entry, the commit that follows appends one
    // more entry, and the other two members then refuse the target's vote request because their
    // log is longer than its own (seen in SessionsIT: one transfer in 107 under load in five logged
    // runs, one CI failure, and a health hand-over's only attempt). Without them a restarted node
    // learns the commit index
    // from the primary's first message instead of from its own log; nothing else reads them.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
    RaftServerConfigKeys.RetryCache.setExpiryTime(properties, millis(RETRY_CACHE_EXPIRY));

    List<RaftPeer> raftPeers =
        peers.stream().sorted(java.util.Comparator.comparing(Peer::id)).map(Peer::toRaft).toList();
    // A joining node starts as a listener in a configuration of its own: it waits, neither voting
    // nor standing, until the leader's first message brings it the journal and with it the
    // configuration. Added as a member, the engine makes it a follower once the configuration
    // naming it is stable; added as a replica, it stays a listener. Started as a follower outside
    // the configuration instead, it would stand for election whenever it stopped hearing from a
    // leader, and the engine shuts down a candidate that finds itself outside the configuration.
    boolean joining = peers.stream().noneMatch(p -> p.id().equals(nodeId));
    RaftGroup group =
        joining
            ? RaftGroup.valueOf(
                groupId(cluster),
                RaftPeer.newBuilder()
                    .setId(nodeId.value())
                    .setAddress(Peer.journal(own))
                    .setStartupRole(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER)
                    .build())
            : RaftGroup.valueOf(groupId(cluster), raftPeers);
    boolean existing = hasJournal(storage, cluster);
    // Mutual TLS between members: each side presents its certificate and accepts only one its
    // trusted authority issued, for Raft traffic and for the peer client that asks for health.
    Parameters parameters = new Parameters();
    GrpcConfigKeys.Server.setServicesCustomizer(parameters, new ConnectionEnds(connectionEnded));
    if (tls != null) {
      GrpcConfigKeys.TLS.setConf(
          parameters,
          new GrpcTlsConfig(
              java.util.Objects.requireNonNull(tls.keyManager()), tls.trustManager(), true));
    }
    RaftServer server =
        RaftServer.newBuilder()
            .setParameters(parameters)
            .setServerId(RaftPeerId.valueOf(nodeId.value()))
            .setGroup(group)
            .setStateMachine(stateMachine)
            .setProperties(properties)
            .setOption(
                existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    LeaderPathPreload.startOnce(nodeId.value());
    RatisEngine engine =
        new RatisEngine(nodeId, group, server, settings.requestTimeout(), parameters);
    if (server.getDivision(group.getGroupId()).getInfo().isListener()) {
      engine.watchPromotion();
    }
    return engine;
  }

  /** How often a listener looks for the promotion deadlock ({@link PromotionDeadlockBreaker}). */
  static final Duration PROMOTION_LOOK_EVERY = Duration.ofMillis(250);

  private final PromotionDeadlockBreaker promotionBreaker;
  private java.util.concurrent.@Nullable ScheduledExecutorService promotionWatch;

  /**
   * On a node that starts as a listener (joining, or a replica), looks four times a second for
   * Ratis's deadlock in the promotion to follower and breaks it. Nodes that start as members never
   * become listeners, so they never need it.
   */
  private synchronized void watchPromotion() {
    java.util.concurrent.ScheduledExecutorService watch =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            io.steadfast.runtime.internal.observe.NodeThreads.factory(
                "promotion-watch", nodeId.value()));
    promotionWatch = watch;
    var unused =
        watch.scheduleWithFixedDelay(
            () -> {
              try {
                promotionBreaker.check();
              } catch (RuntimeException e) {
                LOG.debug("{}: promotion watch: {}", nodeId, e.toString());
              }
            },
            PROMOTION_LOOK_EVERY.toMillis(),
            PROMOTION_LOOK_EVERY.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** The engine's Ratis division, whose own monitor is Ratis's server lock; for tests. */
  RaftServer.Division division() throws IOException {
    return server.getDivision(group.getGroupId());
  }

  /**
   * Runs {@code listener} each time the engine breaks a promotion deadlock, on its watch thread.
   */
  public void onPromotionDeadlockBroken(Runnable listener) {
    promotionBreaker.onBroken(listener);
  }

  /** How many promotion deadlocks this engine broke ({@link PromotionDeadlockBreaker}). */
  long promotionDeadlocksBroken() {
    return promotionBreaker.broken();
  }

  /**
   * Tells the node when a connection to its journal port ends, through a transport filter on the
   * engine's gRPC server: a member whose process died drops its connections at once, long before
   * its silence would be noticed.
   */
  private record ConnectionEnds(Runnable ended)
      implements org.apache.ratis.grpc.server.GrpcServices.Customizer {
    @Override
    public org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder customize(
        org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder builder,
        java.util.EnumSet<org.apache.ratis.grpc.server.GrpcServices.Type> types) {
      if (!types.contains(org.apache.ratis.grpc.server.GrpcServices.Type.SERVER)) {
        return builder;
      }
      return builder.addTransportFilter(
          new org.apache.ratis.thirdparty.io.grpc.ServerTransportFilter() {
            @Override
            public void transportTerminated(
                org.apache.ratis.thirdparty.io.grpc.Attributes transportAttrs) {
              try {
                ended.run();
              } catch (RuntimeException e) {
                LOG.warn("connection-ended notice failed: {}", e.toString());
              }
            }
          });
    }
  }

  /** Whether the storage under {@code storage} already holds this cluster's journal. */
  public static boolean hasJournal(Path storage, String cluster) {
    Path current = groupDirectory(storage, cluster).resolve("current");
    if (Files.exists(current.resolve("raft-meta"))) {
      return true;
    }
    // A lost vote record does not make a member with a journal new.
    try (java.util.stream.Stream<Path> files =
        Files.isDirectory(current) ? Files.list(current) : java.util.stream.Stream.empty()) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("log_"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * Journals {@code entry}; completes with the state machine's reply once a majority has it and it
   * is applied here.
   *
   * @return the reply; fails with {@link NotPrimaryException} only when this node was not the
   *     leader before the entry was handed to the engine (nothing journaled); once handed over, a
   *     failure is an {@link IndeterminateOutcomeException}: Ratis answers "not leader" also for
   *     entries it appended before stepping down, which the next primary may commit
   */
  public CompletableFuture<byte[]> write(byte[] entry) {
    if (!isLeader()) {
      return CompletableFuture.failedFuture(new NotPrimaryException(nodeId, leader().orElse(null)));
    }
    RaftClientRequest request = request(entry, RaftClientRequest.writeRequestType());
    try {
      return server
          .submitClientRequestAsync(request)
          .handle(this::unwrap)
          .exceptionallyCompose(
              error -> {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                return CompletableFuture.failedFuture(
                    new IndeterminateOutcomeException(
                        "node "
                            + nodeId
                            + ": entry handed to the engine may have been journaled: "
                            + cause,
                        cause));
              });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new SteadfastException(
              "node " + nodeId + " could not journal an entry: " + e.getMessage(), e));
    }
  }

  /** How many replies the engine's retry cache holds now (for tests). */
  long retryCacheSize() throws IOException {
    return server.getDivision(group.getGroupId()).getRetryCache().getStatistics().size();
  }

  /**
   * Reads through the state machine's query handler after confirming leadership with a majority
   * (ReadIndex), so the answer is linearizable.
   */
  public CompletableFuture<byte[]> read(byte[] query) {
    RaftClientRequest request = request(query, RaftClientRequest.readRequestType());
    try {
      return server.submitClientRequestAsync(request).handle(this::unwrap);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new SteadfastException("node " + nodeId + " could not read: " + e.getMessage(), e));
    }
  }

  private RaftClientRequest request(byte[] content, RaftClientRequest.Type type) {
    return RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(peerId)
        .setGroupId(group.getGroupId())
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(ByteString.copyFrom(content)))
        .setType(type)
        .setTimeoutMs(requestTimeout.toMillis())
        .build();
  }

  /**
   * Asks {@code peer} directly, not through the leader, to answer {@code query} from its own state
   * machine (a stale read): how the primary learns a backup's health.
   */
  public CompletableFuture<byte[]> askPeer(NodeId peer, byte[] query) {
    PeerClient asking;
    synchronized (this) {
      if (peersClosed) {
        return CompletableFuture.failedFuture(
            new SteadfastException("node " + nodeId + " is stopping; no questions to " + peer));
      }
      // A client knows the member's address it was built with; when a membership change moved
      // the member, it is built again from the configuration in force.
      List<Peer> now = new ArrayList<>(members());
      now.addAll(replicas());
      Peer target = now.stream().filter(p -> p.id().equals(peer)).findFirst().orElse(null);
      if (target == null) {
        // a member that has left: its client, if any, goes too
        PeerClient gone = peerClients.get(peer);
        if (gone != null && closeInBackground(gone.client())) {
          peerClients.remove(peer);
        }
        return CompletableFuture.failedFuture(
            new SteadfastException(
                "node " + nodeId + ": " + peer + " is not in the configuration in force " + now));
      }
      PeerClient held = peerClients.get(peer);
      if (held != null && target.equals(held.target())) {
        asking = held;
      } else {
        if (held != null && !closeInBackground(held.client())) {
          return CompletableFuture.failedFuture(
              new SteadfastException(
                  "node "
                      + nodeId
                      + " has "
                      + CLOSES_QUEUED
                      + " peer clients waiting to close; "
                      + peer
                      + " is asked again later"));
        }
        asking =
            new PeerClient(
                RaftClient.newBuilder()
                    .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), List.of(target.toRaft())))
                    .setLeaderId(RaftPeerId.valueOf(peer.value()))
                    .setProperties(clientProperties)
                    .setParameters(parameters)
                    .setRetryPolicy(RetryPolicies.noRetry())
                    .build(),
                target,
                new AtomicLong(),
                new java.util.concurrent.atomic.AtomicBoolean());
        peerClients.put(peer, asking);
      }
    }
    // Sent unordered, straight through the client's connection: Ratis's ordered path (the one
    // RaftClient.async() takes) fails every later request to a member for good after one failure.
    long resets = asking.resets().get();
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(asking.client().getId())
            .setServerId(RaftPeerId.valueOf(peer.value()))
            .setGroupId(group.getGroupId())
            .setCallId(callIds.incrementAndGet())
            .setMessage(Message.valueOf(ByteString.copyFrom(query)))
            // -1: answered even by a member that has not committed anything yet (a peer's
            // questions are about the member itself, never about replicated state)
            .setType(RaftClientRequest.staleReadRequestType(-1))
            .setTimeoutMs(requestTimeout.toMillis())
            .build();
    return asking
        .client()
        .getClientRpc()
        .sendRequestAsyncUnordered(request)
        .whenComplete(
            (reply, error) -> {
              if (error != null
                  && !org.apache.ratis.util.JavaUtils.isCausedBy(
                      error, org.apache.ratis.protocol.exceptions.TimeoutIOException.class)) {
                resetConnection(peer, asking, resets);
              }
            })
        .handle(this::unwrap);
  }

  /**
   * Has {@code asking}'s connection to {@code peer} closed and built anew, after a question on it
   * failed other than by running out of time. A failed connection stays failed: its stream answers
   * every later question with "closed", and gRPC connects its channel again only after a growing
   * back-off. The next question then connects at once, so a member back from a crash is heard at
   * its first answer. This costs no thread, where dropping the whole client cost one per member it
   * knew (Ratis closes a client that way).
   *
   * <p>The close runs on {@link #closer}, as closing waits for the connection to shut down. One
   * rebuild per failure: a question that failed on a connection a rebuild already replaced (its
   * {@code resets} is older), or while one waits, asks for none.
   */
  private void resetConnection(NodeId peer, PeerClient asking, long resets) {
    if (asking.resets().get() != resets || !asking.resetQueued().compareAndSet(false, true)) {
      return;
    }
    try {
      closer.execute(
          () -> {
            try {
              asking
                  .client()
                  .getClientRpc()
                  .handleException(
                      RaftPeerId.valueOf(peer.value()),
                      new IOException("a question to " + peer + " failed"),
                      true);
            } catch (RuntimeException e) {
              // the next failed question asks again
            } finally {
              asking.resets().incrementAndGet();
              asking.resetQueued().set(false);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      asking.resetQueued().set(false);
    }
  }

  /**
   * Closes a peer client off the asking thread. Closing waits for the client's connection to its
   * member to shut down, which took over 15 s for a member that had just stopped; done on the
   * asking thread (the heartbeat's) under this engine's lock, it held up every beat, and with them
   * the idle primary's ticks that expire sessions. The closes, and {@link #resetConnection}'s
   * rebuilds, run one after another on a single daemon thread that ends after 10 s without work.
   *
   * @return whether the close was queued; false when {@value #CLOSES_QUEUED} already wait
   */
  private boolean closeInBackground(RaftClient client) {
    try {
      closer.execute(
          () -> {
            try {
              client.close();
            } catch (IOException | RuntimeException e) {
              // its connections are dropped either way
            }
          });
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Has the engine build its channel to {@code peer} anew, for a member that answers again after
   * being out of reach. The engine sends vote requests on one gRPC channel per member; a request
   * sent while the member was down leaves that channel failed, and gRPC connects it again only
   * after a back-off that grows 1.6 times with each failed attempt (1 s, then up to 2 minutes).
   * Until then every vote request to the member fails at once, even once it is back: a candidate
   * that needed that member's vote could not win for 10.6 s in {@code VoteChannelIT}, and a cluster
   * had no primary for 10.8 s in a system test. Ratis resets this back-off only for a leader's
   * replication stream. The next request to {@code peer} builds a new channel, which connects at
   * once.
   *
   * <p>The work runs on a thread of its own ({@link #reconnector}), because Ratis closes the old
   * channel on the calling thread and closing waits for its calls to finish (Ratis allows 3 s, then
   * 2 s more after forcing it); not on the thread that closes peer clients, where one close took 15
   * s.
   *
   * @return completes once the old channel is out of use (closed), or fails when the engine is
   *     stopping or {@value #RECONNECTS_QUEUED} rebuilds are already waiting
   */
  public CompletableFuture<Void> reconnect(NodeId peer) {
    synchronized (this) {
      if (peersClosed) {
        return CompletableFuture.failedFuture(
            new SteadfastException("node " + nodeId + " is stopping; no channel to " + peer));
      }
    }
    RaftPeerId id = RaftPeerId.valueOf(peer.value());
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      reconnector.execute(
          () -> {
            try {
              server
                  .getServerRpc()
                  .handleException(id, new IOException(peer + " answers again"), true);
              done.complete(null);
            } catch (RuntimeException e) {
              // a stopping engine: the channel goes with it
              done.completeExceptionally(e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  /**
   * Runs tasks one after another on a single daemon thread named {@code name}, which ends after 10
   * s without work; at most {@code queued} tasks wait, and more are refused.
   */
  private static java.util.concurrent.ThreadPoolExecutor oneShortLivedThread(
      String name, int queued) {
    return new java.util.concurrent.ThreadPoolExecutor(
        0,
        1,
        10,
        TimeUnit.SECONDS,
        new java.util.concurrent.ArrayBlockingQueue<>(queued),
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * How many channel rebuilds may wait for {@link #reconnector}: one per member per failed question
   * at most, so a few; more are refused (the watch asks again at the member's next answer).
   */
  private static final int RECONNECTS_QUEUED = 64;

  /** Runs {@link #reconnect}'s rebuilds; no thread while there is nothing to rebuild. */
  private final java.util.concurrent.ThreadPoolExecutor reconnector =
      oneShortLivedThread("steadfast-reconnect", RECONNECTS_QUEUED);

  /**
   * How many closes and connection rebuilds may wait for {@link #closer}. A client is closed only
   * when a membership change moved its member, and a rebuild waits at most once per member (see
   * {@link #resetConnection}), so a few wait at a time. A close that finds no room leaves the old
   * client in place and fails the question; a rebuild that finds none is asked again by the next
   * failed question.
   */
  private static final int CLOSES_QUEUED = 64;

  /**
   * Runs {@link #closeInBackground}'s closes and {@link #resetConnection}'s rebuilds; no thread
   * while there is nothing to do.
   */
  private final java.util.concurrent.ThreadPoolExecutor closer =
      oneShortLivedThread("steadfast-close-peer-client", CLOSES_QUEUED);

  /**
   * Asks Raft to hand leadership to {@code target}.
   *
   * @return completes when {@code target} leads, or fails
   */
  public CompletableFuture<Void> transferLeadership(NodeId target, Duration timeout) {
    return transfer(RaftPeerId.valueOf(target.value()), timeout, "switchover to " + target);
  }

  /**
   * Asks Raft to step this leader down, so that the members elect again (it may win again, with
   * fresh knowledge of every follower's journal).
   *
   * @return completes once this node no longer leads, or fails
   */
  public CompletableFuture<Void> stepDown(Duration timeout) {
    return transfer(null, timeout, "step-down");
  }

  /** One leadership transfer request; a null target means "step down" to Ratis. */
  private CompletableFuture<Void> transfer(
      @Nullable RaftPeerId target, Duration timeout, String what) {
    TransferLeadershipRequest request =
        new TransferLeadershipRequest(
            clientId,
            peerId,
            group.getGroupId(),
            callIds.incrementAndGet(),
            target,
            timeout.toMillis());
    try {
      return server
          .transferLeadershipAsync(request)
          .handle(
              (reply, error) -> {
                unwrap(reply, error);
                return null;
              });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new SteadfastException(what + " failed: " + e.getMessage(), e));
    }
  }

  private byte[] unwrap(@Nullable RaftClientReply reply, @Nullable Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (cause instanceof NotLeaderException notLeader) {
        throw notPrimary(notLeader);
      }
      throw new SteadfastException("node " + nodeId + " request failed: " + cause, cause);
    }
    if (reply == null) {
      throw new SteadfastException("node " + nodeId + " request failed without a reply");
    }
    if (reply.isSuccess()) {
      return reply.getMessage() == null
          ? new byte[0]
          : reply.getMessage().getContent().toByteArray();
    }
    NotLeaderException notLeader = reply.getNotLeaderException();
    if (notLeader != null) {
      throw notPrimary(notLeader);
    }
    RaftException exception = reply.getException();
    if (exception != null && isLeadershipProblem(exception)) {
      throw new NotPrimaryException(nodeId, null);
    }
    throw new SteadfastException("node " + nodeId + " request failed: " + exception, exception);
  }

  private static boolean isLeadershipProblem(RaftException exception) {
    String name = exception.getClass().getSimpleName();
    return name.equals("LeaderNotReadyException")
        || name.equals("LeaderSteppingDownException")
        || name.equals("TransferLeadershipException");
  }

  private NotPrimaryException notPrimary(NotLeaderException notLeader) {
    RaftPeer suggested = notLeader.getSuggestedLeader();
    return new NotPrimaryException(
        nodeId, suggested == null ? null : NodeId.of(suggested.getId().toString()));
  }

  /** This engine's member id. */
  public NodeId id() {
    return nodeId;
  }

  /** Whether this node is the leader now. */
  public boolean isLeader() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  /** The leader as this node knows it. */
  public Optional<NodeId> leader() {
    try {
      RaftPeerId leader = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
      return Optional.ofNullable(leader).map(id -> NodeId.of(id.toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The current term. */
  public long term() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().getCurrentTerm();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * How long since this node last heard from the others, as the engine measures it: for a backup,
   * since the primary's last message; for the primary, since the slowest backup's last answer; null
   * while an election runs.
   */
  public @Nullable Duration sinceLastContact() {
    try {
      var role = server.getDivision(group.getGroupId()).getInfo().getRoleInfoProto();
      if (role.hasFollowerInfo()) {
        return Duration.ofMillis(role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs());
      }
      if (role.hasLeaderInfo()) {
        // The backups only: a replica at another site that lags says nothing about this primary.
        java.util.Set<String> replicas = new java.util.HashSet<>();
        replicas().forEach(r -> replicas.add(r.id().value()));
        return Duration.ofMillis(
            role.getLeaderInfo().getFollowerInfoList().stream()
                .filter(f -> !replicas.contains(f.getId().getId().toStringUtf8()))
                .mapToLong(f -> f.getLastRpcElapsedTimeMs())
                .max()
                .orElse(0));
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether this node is a follower (a backup) now. */
  public boolean isFollower() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isFollower();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The members of the configuration in force, sorted by id: the new one from the moment a change
   * is journaled (Raft uses a configuration as soon as it is appended, not once committed). While a
   * change is in its joint phase, both the old and the new members are listed.
   *
   * @return the members, or empty while the engine is not running
   */
  public List<Peer> members() {
    try {
      return server.getDivision(group.getGroupId()).getRaftConf().getAllPeers().stream()
          .map(Peer::of)
          .sorted(java.util.Comparator.comparing(Peer::id))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Whether a membership change is in its joint phase (a configuration needing majorities of the
   * old and the new members is in force). New members still catching up before that phase are not
   * visible here; Ratis refuses a second change meanwhile.
   */
  public boolean changingMembers() {
    try {
      return !server.getDivision(group.getGroupId()).getRaftConf().getPreviousPeers().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The disaster-recovery replicas of the configuration in force (Raft listeners: they receive
   * every entry but never vote or stand for election), sorted by id.
   */
  public List<Peer> replicas() {
    try {
      return server
          .getDivision(group.getGroupId())
          .getRaftConf()
          .getAllPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER)
          .stream()
          .map(Peer::of)
          .sorted(java.util.Comparator.comparing(Peer::id))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Whether this node is a replica (a listener) in the configuration in force. */
  public boolean isReplica() {
    return replicas().stream().anyMatch(p -> p.id().equals(nodeId));
  }

  /**
   * On the primary: how far each replica is behind, as the primary knows it. The commit index a
   * member reports trails what it holds by at most one message.
   *
   * @return by replica: the entries it lacks of this primary's commit index, and the time since it
   *     last answered this primary (null when not known)
   */
  public Map<NodeId, ReplicaLag> replicaLag() {
    Map<NodeId, ReplicaLag> lag = new java.util.TreeMap<>();
    long commit = commitIndex();
    followerProgress(replicas())
        .forEach(
            (id, progress) ->
                lag.put(
                    id,
                    new ReplicaLag(
                        progress.commitIndex() == null
                            ? null
                            : Math.max(0, commit - progress.commitIndex()),
                        progress.sinceContact())));
    return lag;
  }

  /**
   * On the primary: what it knows of each voting member other than itself.
   *
   * @return by member: the commit index it last reported and the time since it last answered
   *     (either null when not known)
   */
  public Map<NodeId, FollowerProgress> voterProgress() {
    List<Peer> voters = members().stream().filter(p -> !p.id().equals(nodeId)).toList();
    return followerProgress(voters);
  }

  /**
   * A follower as the primary knows it.
   *
   * @param commitIndex the commit index it last reported, or null
   * @param sinceContact since it last answered the primary, or null
   */
  public record FollowerProgress(@Nullable Long commitIndex, @Nullable Duration sinceContact) {}

  private Map<NodeId, FollowerProgress> followerProgress(List<Peer> peers) {
    Map<NodeId, FollowerProgress> out = new java.util.TreeMap<>();
    try {
      RaftServer.Division division = server.getDivision(group.getGroupId());
      Map<String, Long> committed = new java.util.HashMap<>();
      for (org.apache.ratis.proto.RaftProtos.CommitInfoProto info : division.getCommitInfos()) {
        committed.put(info.getServer().getId().toStringUtf8(), info.getCommitIndex());
      }
      Map<String, Long> elapsed = new java.util.HashMap<>();
      var role = division.getInfo().getRoleInfoProto();
      if (role.hasLeaderInfo()) {
        role.getLeaderInfo()
            .getFollowerInfoList()
            .forEach(
                f -> elapsed.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs()));
      }
      for (Peer peer : peers) {
        Long millis = elapsed.get(peer.id().value());
        out.put(
            peer.id(),
            new FollowerProgress(
                committed.get(peer.id().value()),
                millis == null ? null : Duration.ofMillis(millis)));
      }
    } catch (IOException e) {
      // not running: nothing known
    }
    return out;
  }

  /**
   * How far a replica is behind.
   *
   * @param entries committed entries it lacks, or null when the primary has not heard from it
   * @param sinceContact since it last answered the primary, or null when not known
   */
  public record ReplicaLag(@Nullable Long entries, @Nullable Duration sinceContact) {}

  /** Whether this node belongs to the configuration in force (a joining node does not, yet). */
  public boolean isMember() {
    return members().stream().anyMatch(p -> p.id().equals(nodeId));
  }

  /**
   * Asks Raft to move from the configuration {@code expected} to {@code next} through joint
   * consensus: new members first receive the journal (or the newest checkpoint and the journal
   * after it) without a vote, then a joint configuration needing majorities of both the old and the
   * new members is committed, then the new one alone. Refused when the configuration in force is no
   * longer {@code expected} (someone else changed it meanwhile). Only on the primary.
   *
   * @return completes once the new configuration is committed, or fails: with {@link
   *     NotPrimaryException} when this node does not lead, a {@link SteadfastException} naming
   *     Ratis's reason otherwise (a new member that does not answer within the staging timeout, a
   *     change already under way)
   */
  public CompletableFuture<Void> changeMembers(List<Peer> expected, List<Peer> next) {
    List<Peer> replicas = replicas();
    return changeConfiguration(expected, replicas, next, replicas);
  }

  /**
   * As {@link #changeMembers}, for the voting members and the replicas together: a replica added
   * receives the journal (or a checkpoint and the journal after it) and never votes.
   */
  public CompletableFuture<Void> changeConfiguration(
      List<Peer> expected, List<Peer> expectedReplicas, List<Peer> next, List<Peer> nextReplicas) {
    SetConfigurationRequest.Arguments arguments =
        SetConfigurationRequest.Arguments.newBuilder()
            .setServersInCurrentConf(expected.stream().map(Peer::toRaft).toList())
            .setListenersInCurrentConf(expectedReplicas.stream().map(Peer::toRaft).toList())
            .setServersInNewConf(next.stream().map(Peer::toRaft).toList())
            .setListenersInNewConf(nextReplicas.stream().map(Peer::toRaft).toList())
            .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
            .build();
    SetConfigurationRequest request =
        new SetConfigurationRequest(
            clientId, peerId, group.getGroupId(), callIds.incrementAndGet(), arguments);
    try {
      return server
          .setConfigurationAsync(request)
          .handle(
              (reply, error) -> {
                unwrap(reply, error);
                return null;
              });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new SteadfastException("membership change failed: " + e.getMessage(), e));
    }
  }

  /** The journal (Raft) address of {@code member}, as the configuration in force lists it. */
  public Optional<InetSocketAddress> journalAddress(NodeId member) {
    Optional<Peer> peer = members().stream().filter(p -> p.id().equals(member)).findFirst();
    if (peer.isEmpty()) {
      return Optional.empty();
    }
    String address = peer.get().journal();
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    try {
      // Resolved here, when a probe needs it, so that a member's changed DNS entry is followed.
      return Optional.of(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes this backup a candidate at once, skipping pre-vote, for a primary whose process is known
   * to have ended. The engine is asked exactly as a primary asks its chosen successor during a
   * leadership transfer (a start-election request in {@code formerPrimary}'s name carrying this
   * node's own last entry), so the engine's own checks apply: it declines unless this node is a
   * follower that still recognizes {@code formerPrimary}'s term. An election is safe whoever starts
   * it; the caller's care is only not to unseat a live primary.
   *
   * @return whether the engine started an election
   */
  public boolean campaign(NodeId formerPrimary) {
    try {
      RaftServer.Division division = server.getDivision(group.getGroupId());
      TermIndex last = division.getRaftLog().getLastEntryTermIndex();
      if (last == null || !division.getInfo().isFollower()) {
        return false;
      }
      RaftRpcRequestProto rpc =
          RaftRpcRequestProto.newBuilder()
              .setRequestorId(RaftPeerId.valueOf(formerPrimary.value()).toByteString())
              .setReplyId(RaftPeerId.valueOf(nodeId.value()).toByteString())
              .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(group.getGroupId()))
              .build();
      StartLeaderElectionRequestProto request =
          StartLeaderElectionRequestProto.newBuilder()
              .setServerRequest(rpc)
              .setLeaderLastEntry(last.toProto())
              .build();
      return server.startLeaderElection(request).getServerReply().getSuccess();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The first index the journal still holds (older entries were purged), or -1. */
  public long journalStartIndex() {
    try {
      return server.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The index of the last entry in the journal, committed or not, or -1. */
  public long journalEndIndex() {
    try {
      TermIndex last = server.getDivision(group.getGroupId()).getRaftLog().getLastEntryTermIndex();
      return last == null ? -1 : last.getIndex();
    } catch (IOException | IllegalStateException e) {
      // Not running, or the journal already closed by a stop under way (Ratis asserts it is open).
      return -1;
    }
  }

  /** The term and index of a journal entry. */
  public record LastEntry(long term, long index) {}

  /**
   * The term and index of the last entry in the journal, committed or not ({@code 0, -1} for an
   * empty journal), or null when the journal cannot be read (not running, or closing).
   */
  public @Nullable LastEntry lastEntry() {
    try {
      TermIndex last = server.getDivision(group.getGroupId()).getRaftLog().getLastEntryTermIndex();
      return last == null ? new LastEntry(0, -1) : new LastEntry(last.getTerm(), last.getIndex());
    } catch (IOException | IllegalStateException e) {
      return null;
    }
  }

  /** The commit index as this node knows it. */
  public long commitIndex() {
    try {
      return server.getDivision(group.getGroupId()).getRaftLog().getLastCommittedIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Stops the server; no checkpoint is taken and leadership is not handed over. */
  @Override
  public void close() throws IOException {
    List<RaftClient> clients;
    synchronized (this) {
      peersClosed = true;
      clients = peerClients.values().stream().map(PeerClient::client).toList();
      peerClients.clear();
    }
    for (RaftClient client : clients) {
      client.close();
    }
    reconnector.shutdown();
    java.util.concurrent.ScheduledExecutorService watch;
    synchronized (this) {
      watch = promotionWatch;
    }
    if (watch != null) {
      watch.shutdownNow();
    }
    server.close();
  }

  private static TimeDuration millis(Duration duration) {
    return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
  }
}
