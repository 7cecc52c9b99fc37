package io.steadfast.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.steadfast.api.Health;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.api.session.SessionLimitException;
import io.steadfast.api.session.UnknownSessionException;
import io.steadfast.runtime.internal.apply.ReplicatedCore;
import io.steadfast.runtime.internal.audit.ResyncCopies;
import io.steadfast.runtime.internal.client.RemoteRouting;
import io.steadfast.runtime.internal.client.Routing;
import io.steadfast.runtime.internal.journal.Authorizer;
import io.steadfast.runtime.internal.journal.CommandDecoding;
import io.steadfast.runtime.internal.journal.GroupCommitter;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.node.Access;
import io.steadfast.runtime.internal.node.CheckpointRecovery;
import io.steadfast.runtime.internal.node.DeadPrimaryWatch;
import io.steadfast.runtime.internal.node.HandOverFailedException;
import io.steadfast.runtime.internal.node.Heartbeat;
import io.steadfast.runtime.internal.node.HttpEndpoint;
import io.steadfast.runtime.internal.node.NodeGateway;
import io.steadfast.runtime.internal.node.PeerCheckpoints;
import io.steadfast.runtime.internal.node.Queries;
import io.steadfast.runtime.internal.node.ReplicationWatch;
import io.steadfast.runtime.internal.node.RoleTracker;
import io.steadfast.runtime.internal.node.SessionView;
import io.steadfast.runtime.internal.node.StorageScrub;
import io.steadfast.runtime.internal.observe.AsyncPool;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.internal.observe.NodeThreads;
import io.steadfast.runtime.internal.ratis.JournalRepair;
import io.steadfast.runtime.internal.ratis.NodeHooks;
import io.steadfast.runtime.internal.ratis.RatisEngine;
import io.steadfast.runtime.internal.ratis.ReplicaPromotion;
import io.steadfast.runtime.internal.ratis.StateMachineAdapter;
import io.steadfast.runtime.internal.session.SessionRecord;
import io.steadfast.runtime.internal.session.SessionTable;
import io.steadfast.runtime.security.NodeSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of one member, behind {@link SteadfastNode}'s facade: its Ratis engine, group
 * commit, role tracking, heartbeat and HTTP endpoint, and the requests of routing and of the HTTP
 * endpoint. The seam between the public node and everything that runs it; routing, the endpoint and
 * the heartbeat call this class, never the facade.
 *
 * <p>Thread-safe.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
final class NodeRuntime<C, R> implements NodeGateway<C, R> {

  private static final Logger LOG = LoggerFactory.getLogger(SteadfastNode.class);

  /**
   * How long a crash waits for a role callback that is already running (it cannot be killed inside
   * the JVM) before the node counts as stopped; see {@link RoleTracker#kill}.
   */
  private static final Duration CRASHED_CALLBACK_WAIT = Duration.ofSeconds(10);

  private final NodeSettings<C, R> settings;
  private final NodeId id;
  private final NodeMeters meters;
  private final StateMachineAdapter<C, R> stateMachine;
  private final RoleTracker roles;
  private final Authorizer authorizer;
  private final Object lifecycle = new Object();

  /** Orders promotion against step-down, so a node never stays PRIMARY once Raft demoted it. */
  private final Object roleLock = new Object();

  /** Serializes this node's membership changes (Raft allows one at a time anyway). */
  private final Object membershipLock = new Object();

  private volatile @Nullable RatisEngine engine;
  private final ReplicationHost replicationHost = new ReplicationHost();
  private volatile @Nullable GroupCommitter committer;
  private volatile @Nullable NodeId knownPrimary;
  private volatile boolean primaryReady;

  /**
   * Completed, and replaced by a fresh one, whenever this node's view of the primary changes (a
   * primary became ready, another was named, this node stopped): what requests held during an
   * election wait for ({@link #primarySettled}). A waiter reads it before it looks at the view, and
   * a change is made before the future is replaced and completed, so no change goes unnoticed.
   */
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> primaryNews =
      new java.util.concurrent.atomic.AtomicReference<>(new CompletableFuture<>());

  private volatile long primaryEpoch;
  private volatile boolean stopped;

  /** Set when the whole cluster is being closed: step-downs then are not failovers. */
  private volatile boolean shuttingDown;

  /** Where sessions opened on this node go once it is no longer primary, if anywhere. */
  private volatile @Nullable Routing<C, R> fallback;

  private volatile @Nullable String recoveredFrom;
  private volatile List<String> repairs = List.of();
  private volatile @Nullable StorageScrub scrub;
  private volatile long startedNanos = System.nanoTime();
  private volatile @Nullable Heartbeat heartbeat;
  private volatile @Nullable DeadPrimaryWatch primaryWatch;
  private volatile @Nullable HttpEndpoint http;
  private volatile java.util.concurrent.@Nullable ScheduledExecutorService auditor;
  private volatile @Nullable ReplicaAudit lastAudit;
  private volatile @Nullable String lastResync;
  private final java.util.concurrent.atomic.AtomicLong auditRounds =
      new java.util.concurrent.atomic.AtomicLong();
  private final Object auditLock = new Object();

  NodeRuntime(NodeSettings<C, R> settings) {
    this.settings = settings;
    this.id = settings.id();
    MeterRegistry registry = settings.options().meterRegistry();
    this.meters = registry == null ? NodeMeters.NONE : new NodeMeters(registry, id.value());
    this.stateMachine =
        new StateMachineAdapter<>(
            id,
            settings.applications(),
            settings.codec(),
            new Hooks(),
            settings.engine().checkpointEvery(),
            settings.engine().checkpointJournalRatio(),
            new Authorizer(settings.options().permitUnannotated()),
            meters);
    List<NodeId> peerIds = new ArrayList<>(settings.peers().keySet());
    peerIds.sort(java.util.Comparator.comparing(NodeId::value));
    this.stateMachine.staggerCheckpoints(peerIds.indexOf(id), peerIds.size());
    this.authorizer = stateMachine.core().authorizer();
    this.stateMachine.setQueryHandler(this::answer);
    this.stateMachine.setPeerHandler(
        query -> {
          DeadPrimaryWatch watch = primaryWatch;
          if (watch != null && Queries.isJournalEndQuery(query)) {
            // Another backup found the primary's port refusing: probe it too, at once.
            watch.peerFoundDead();
          }
          return Queries.answerPeer(
              query,
              new Queries.PeerFacts(
                  currentHealth(),
                  stateMachine.fingerprints(),
                  stateMachine.resyncCopies(),
                  stateMachine::lastAppliedIndex,
                  this::engineCommitIndex,
                  this::journalEnd,
                  stateMachine.core().application().supportedVersion()));
        });
    meters.replicaLag(this::largestReplicaLag);
    this.roles =
        new RoleTracker(
            id,
            () -> stateMachine.core().application(),
            stateMachine.core().application().budgets().roleChange(),
            meters);
  }

  /** This node's id. */
  @Override
  public NodeId id() {
    return id;
  }

  /** This node's address. */
  InetSocketAddress address() {
    return java.util.Objects.requireNonNull(settings.peers().get(id), "own address");
  }

  /** Whether this node was stopped or crashed. */
  boolean stopped() {
    return stopped;
  }

  /** This node's current role. */
  Role role() {
    return roles.role();
  }

  /** Whether this node is the primary and ready to accept requests. */
  @Override
  public boolean isPrimary() {
    RatisEngine running = engine;
    return primaryReady && !stopped && running != null && running.isLeader();
  }

  /** Adds a listener told of every role change after the application; on the role thread. */
  void addRoleListener(Consumer<RoleChange> listener) {
    roles.addListener(listener);
  }

  /**
   * Starts the node: checks its newest checkpoint (a refused one is set aside and a good one is
   * fetched from the primary), starts the engine, and becomes a backup.
   *
   * @throws ConfigurationException if the storage cannot be used
   * @throws IllegalStateException if the node was started before
   */
  void start() {
    synchronized (lifecycle) {
      if (engine != null || stopped) {
        throw new IllegalStateException("node " + id + " was already started");
      }
      startedNanos = System.nanoTime();
      AsyncPool.warnIfThreadPerTask(LOG);
      boolean restart = RatisEngine.hasJournal(settings.storage(), settings.cluster());
      if (settings.security().isInsecure()) {
        LOG.warn(
            "node {} runs INSECURE: {}; anyone who reaches its ports can act as anyone",
            id,
            settings.security().tlsFiles() == null
                ? "no TLS"
                : "TLS on, unauthenticated callers trusted");
      }
      try {
        Path group = RatisEngine.groupDirectory(settings.storage(), settings.cluster());
        PeerCheckpoints peers =
            settings.peerEndpoints().isEmpty()
                ? null
                : new PeerCheckpoints(settings.peerEndpoints(), memberAccess());
        JournalRepair.Report journal =
            JournalRepair.repair(
                group.resolve("current"),
                () -> CheckpointRecovery.newQuarantine(settings.storage()));
        List<String> made = new ArrayList<>(journal.what());
        recoveredFrom =
            CheckpointRecovery.checkNewest(
                group,
                stateMachine.core().application().checkpointVersion(),
                settings.storage(),
                peers);
        if (recoveredFrom != null) {
          made.add("checkpoint: " + recoveredFrom);
        }
        if (journal.journalCut()) {
          String behind =
              JournalRepair.setAsideIfBehindCheckpoint(
                  group,
                  journal.lastSound(),
                  () -> CheckpointRecovery.newQuarantine(settings.storage()));
          if (behind != null) {
            made.add(behind);
          }
        }
        String promotion = promoteIfAsked(group);
        if (promotion != null) {
          made.add("promotion: " + promotion);
        }
        repairs = List.copyOf(made);
        if (journal.repaired()) {
          awaitKeeperOfCutEntries(journal, peers);
        } else if (!restart && peers != null && !settings.joining()) {
          // Empty storage while a primary already serves: this member's disk was replaced. The
          // primary remembers how far this member's journal once reached and would send nothing
          // below that until it is elected again (the member never caught up in a benchmark);
          // a step-down (it may win again) makes the new leader ask afresh.
          Optional<NodeId> primary = peers.primary();
          if (primary.isPresent()) {
            LOG.warn(
                "{}: starts with empty storage while {} is primary; asking it to step down so that"
                    + " it sends this member everything",
                id,
                primary.get());
            peers.askToStepDown(primary.get());
          }
        }
        engine =
            RatisEngine.start(
                id,
                settings.cluster(),
                address(),
                initialPeers(),
                settings.storage(),
                settings.engine(),
                settings.security().tlsFiles(),
                stateMachine,
                () -> {
                  DeadPrimaryWatch watch = primaryWatch;
                  if (watch != null) {
                    watch.connectionEnded();
                  }
                });
        Objects.requireNonNull(engine).onPromotionDeadlockBroken(meters::promotionDeadlockBroken);
      } catch (IOException e) {
        throw new ConfigurationException(
            "storage",
            "node " + id + " cannot start on " + settings.storage() + ": " + e.getMessage());
      } catch (StorageRepairException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new ConfigurationException(
            "peer",
            "node "
                + id
                + " cannot start at "
                + address()
                + ": "
                + e.getMessage()
                + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      }
      committer =
          new GroupCommitter(
              id.value(),
              settings.groupCommit(),
              settings.clock(),
              entry -> Objects.requireNonNull(engine).write(entry),
              () -> new NotPrimaryException(id, null),
              meters);
      roles.change(
          Role.BACKUP,
          restart ? RoleChange.Reason.RESTART : RoleChange.Reason.START,
          0,
          stateMachine.core().lastPosition());
      Heartbeat beat =
          new Heartbeat(
              id,
              () -> stateMachine.core().application(),
              new HeartbeatHost(),
              settings.healthInterval(),
              settings.probesBeforeHandOver(),
              stateMachine.core().application().budgets().health(),
              meters,
              new ReplicationWatch(id, replicationHost, System::nanoTime));
      heartbeat = beat;
      beat.start();
      if (settings.options().deadPrimaryProbe()) {
        DeadPrimaryWatch watch =
            new DeadPrimaryWatch(id, new WatchHost(), settings.engine().electionTimeoutMin());
        primaryWatch = watch;
        watch.start();
      }
      Duration auditEvery = settings.options().auditEvery();
      if (!auditEvery.isZero()) {
        java.util.concurrent.ScheduledExecutorService audits =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                NodeThreads.factory("audit", id.value()));
        auditor = audits;
        var unused =
            audits.scheduleWithFixedDelay(
                this::periodicAudit,
                auditEvery.toMillis(),
                auditEvery.toMillis(),
                TimeUnit.MILLISECONDS);
      }
      Duration verifyEvery = settings.options().verifyStorageEvery();
      if (!verifyEvery.isZero()) {
        StorageScrub scrubber =
            new StorageScrub(
                id,
                RatisEngine.groupDirectory(settings.storage(), settings.cluster()),
                stateMachine.core().application().checkpointVersion(),
                stateMachine::lastCheckpointIndex,
                () -> CheckpointRecovery.newQuarantine(settings.storage()),
                line -> {
                  addRepair(line);
                  stateMachine.requestCheckpoint();
                },
                line -> {
                  addRepair(line + "; the node stops so that its next start repairs the journal");
                  failStop(new IllegalStateException(line));
                });
        scrub = scrubber;
        scrubber.start(verifyEvery);
      }
      InetSocketAddress httpAddress = settings.http();
      if (httpAddress != null) {
        try {
          http = new HttpEndpoint(this, httpAddress, settings.security());
        } catch (IOException e) {
          stop(false);
          throw new ConfigurationException(
              "http", "node " + id + " cannot listen on " + httpAddress + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * How this member calls its peers' endpoints: with its own certificate over TLS, or with the
   * member secret.
   */
  private Access memberAccess() {
    NodeSecurity security = settings.security();
    String secret = security.memberSecretOrNull();
    Map<String, String> headers =
        secret == null ? Map.of() : Map.of(NodeSecurity.MEMBER_HEADER, secret);
    return new Access(
        security.tlsFiles() == null ? null : security.tlsFiles().context(), () -> headers);
  }

  /** Where this node's sessions go once it is not primary; null when it knows no way. */
  @Nullable Routing<C, R> fallback() {
    Routing<C, R> given = fallback;
    Map<NodeId, java.net.URI> members = peerEndpoints();
    if (given != null || members.isEmpty()) {
      return given;
    }
    Access access = memberAccess();
    URI own = ownEndpoint();
    if (own != null) {
      members.put(id, own);
    }
    Routing<C, R> remote = new RemoteRouting<>(members, Duration.ofSeconds(2), access);
    fallback = remote;
    return remote;
  }

  /** Sets where this node's sessions go once it is not primary (the embedded cluster's routing). */
  void fallback(Routing<C, R> routing) {
    this.fallback = routing;
  }

  /**
   * Marks the node as part of a cluster being closed: a step-down from now on is reported as the
   * end it is, not as a failover.
   */
  void beginShutdown() {
    shuttingDown = true;
  }

  /**
   * Moves the primary role to {@code target} (a planned switchover): announces the hand-over in the
   * journal, then asks the engine to transfer leadership, and waits until it has.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if {@code target} is not a member
   */
  @Override
  public void switchoverTo(NodeId target) {
    handOver(target, RoleChange.Reason.SWITCHOVER);
  }

  @Override
  public java.util.SortedSet<String> members() {
    java.util.SortedSet<String> ids = new java.util.TreeSet<>();
    memberIds().forEach(peer -> ids.add(peer.value()));
    return ids;
  }

  /**
   * The configuration the engine starts with when its storage holds none: every peer with its
   * endpoint, this node left out when it joins a running cluster (it waits to be added). Once the
   * journal holds a configuration (always, after the first start of a founding member or the
   * addition of a joining one), the engine uses that instead.
   */
  private List<RatisEngine.Peer> initialPeers() {
    List<RatisEngine.Peer> peers = new ArrayList<>();
    settings
        .peers()
        .forEach(
            (peer, address) -> {
              if (peer.equals(id) && settings.joining()) {
                return;
              }
              URI endpoint = peer.equals(id) ? ownEndpoint() : settings.peerEndpoints().get(peer);
              peers.add(
                  new RatisEngine.Peer(
                      peer,
                      RatisEngine.Peer.journal(address),
                      endpoint == null ? null : endpoint.toString()));
            });
    return peers;
  }

  /**
   * This node's own endpoint as others reach it: the HTTP port at the host of its journal address
   * (the HTTP socket may be bound to every interface); null without HTTP.
   */
  private @Nullable URI ownEndpoint() {
    InetSocketAddress own = settings.http();
    if (own == null) {
      return null;
    }
    String host =
        own.getAddress() != null && own.getAddress().isAnyLocalAddress()
            ? address().getHostString()
            : own.getHostString();
    return URI.create(memberAccess().scheme() + "://" + hostForUri(host) + ":" + own.getPort());
  }

  private static String hostForUri(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * The configuration in force as this node knows it: from its engine once running (the newest the
   * journal holds), else the peers it was built with.
   */
  List<Member> configuration() {
    RatisEngine running = engine;
    if (running == null) {
      return initialPeers().stream().map(NodeRuntime::member).toList();
    }
    return running.members().stream().map(NodeRuntime::member).toList();
  }

  private static Member member(RatisEngine.Peer peer) {
    String journal = peer.journal();
    int colon = journal.lastIndexOf(':');
    String host = journal.substring(0, Math.max(colon, 0));
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(journal.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    return new Member(
        peer.id(),
        InetSocketAddress.createUnresolved(host, port),
        peer.endpoint() == null ? null : URI.create(peer.endpoint()));
  }

  private static RatisEngine.Peer peer(Member member) {
    return new RatisEngine.Peer(
        member.id(),
        hostForUri(member.journal().getHostString()) + ":" + member.journal().getPort(),
        member.endpoint() == null ? null : member.endpoint().toString());
  }

  /** The ids of the members in force, sorted. */
  private List<NodeId> memberIds() {
    return configuration().stream().map(Member::id).sorted().toList();
  }

  /** The other members' endpoints in force (those that serve one). */
  Map<NodeId, URI> peerEndpoints() {
    Map<NodeId, URI> endpoints = new TreeMap<>();
    for (Member member : configuration()) {
      if (!member.id().equals(id) && member.endpoint() != null) {
        endpoints.put(member.id(), member.endpoint());
      }
    }
    // Members named at build whose endpoint the configuration does not carry (a journal written
    // before endpoints were carried, or a peer given only as an endpoint) are still reachable.
    settings.peerEndpoints().forEach(endpoints::putIfAbsent);
    return endpoints;
  }

  /**
   * Adds {@code member} to the cluster, on the primary: it first receives the newest checkpoint and
   * the journal after it without a vote, then a joint configuration and then the new one are
   * committed (Raft's joint consensus), and the call returns. Sessions go on being served
   * throughout. The member must have been started with {@link SteadfastNode.Builder#joining()}.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if a member of that id exists, or the endpoint's scheme does not
   *     match the cluster's (http without TLS, https with)
   * @throws SteadfastException if the change failed (the new member did not answer in time, or
   *     another change was under way); the configuration is then the old one
   */
  void addMember(Member member) {
    changeMembers(List.of(), member, "add " + member.id());
  }

  /**
   * Removes {@code member} from the cluster, on the primary, through joint consensus. The primary
   * itself cannot be removed: switch over first.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if {@code member} is not a member, is this primary, or is the
   *     last one
   * @throws SteadfastException if the change failed; the configuration is then the old one
   */
  void removeMember(NodeId member) {
    RatisEngine running = requirePrimary();
    if (running.replicas().stream().anyMatch(p -> p.id().equals(member))) {
      removeReplica(running, member);
      return;
    }
    changeMembers(List.of(member), null, "remove " + member);
  }

  /**
   * Replaces {@code old} (typically a member whose host is lost) by {@code replacement} in one
   * change: the replacement catches up first, then both changes are committed together.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException as {@link #addMember} and {@link #removeMember} do
   * @throws SteadfastException if the change failed; the configuration is then the old one
   */
  void replaceMember(NodeId old, Member replacement) {
    changeMembers(List.of(old), replacement, "replace " + old + " by " + replacement.id());
  }

  private void changeMembers(List<NodeId> removed, @Nullable Member added, String what) {
    RatisEngine running = requirePrimary();
    synchronized (membershipLock) {
      List<RatisEngine.Peer> current = running.members();
      if (running.changingMembers()) {
        throw new ConfigurationException(
            "member", what + ": another membership change is under way; try again when it ends");
      }
      List<RatisEngine.Peer> next = new ArrayList<>();
      for (NodeId gone : removed) {
        if (current.stream().noneMatch(p -> p.id().equals(gone))) {
          throw new ConfigurationException(
              "member", what + ": " + gone + " is not a member; members are " + memberIds());
        }
        if (gone.equals(id)) {
          throw new ConfigurationException(
              "member",
              what + ": " + gone + " is the primary; switch over to another member first");
        }
      }
      for (RatisEngine.Peer peer : current) {
        if (!removed.contains(peer.id())) {
          next.add(peer);
        }
      }
      if (added != null) {
        if (current.stream().anyMatch(p -> p.id().equals(added.id()))) {
          throw new ConfigurationException(
              "member", what + ": " + added.id() + " is a member already");
        }
        if (running.replicas().stream().anyMatch(p -> p.id().equals(added.id()))) {
          throw new ConfigurationException(
              "member",
              what
                  + ": "
                  + added.id()
                  + " is a replica; remove it first, or promote it (docs/operations.md)");
        }
        checkScheme(added, what);
        next.add(peer(added));
      }
      if (next.isEmpty()) {
        throw new ConfigurationException("member", what + ": the last member cannot be removed");
      }
      LOG.warn("{}: membership change: {}; members {} -> {}", id, what, ids(current), ids(next));
      meters.membershipChange();
      await(running.changeMembers(current, next), "membership change (" + what + ")");
      LOG.warn("{}: membership change committed: members are now {}", id, memberIds());
    }
  }

  /**
   * Adds {@code replica} as a disaster-recovery replica, on the primary: a Raft listener that
   * receives every entry (first the newest checkpoint and the journal after it) and never votes or
   * stands for election.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if it is a member or a replica already
   * @throws SteadfastException if the change failed; the configuration is then the old one
   */
  void addReplica(Member replica) {
    RatisEngine running = requirePrimary();
    String what = "add replica " + replica.id();
    synchronized (membershipLock) {
      List<RatisEngine.Peer> voters = running.members();
      List<RatisEngine.Peer> replicas = running.replicas();
      if (running.changingMembers()) {
        throw new ConfigurationException(
            "member", what + ": another membership change is under way; try again when it ends");
      }
      if (voters.stream().anyMatch(p -> p.id().equals(replica.id()))
          || replicas.stream().anyMatch(p -> p.id().equals(replica.id()))) {
        throw new ConfigurationException(
            "member", what + ": " + replica.id() + " is a member or a replica already");
      }
      checkScheme(replica, what);
      List<RatisEngine.Peer> next = new ArrayList<>(replicas);
      next.add(peer(replica));
      LOG.warn("{}: membership change: {}; replicas {} -> {}", id, what, ids(replicas), ids(next));
      meters.membershipChange();
      await(
          running.changeConfiguration(voters, replicas, voters, next),
          "membership change (" + what + ")");
      LOG.warn("{}: membership change committed: replicas are now {}", id, ids(running.replicas()));
    }
  }

  /** Removes the replica {@code replica}, on the primary. */
  private void removeReplica(RatisEngine running, NodeId replica) {
    String what = "remove replica " + replica;
    synchronized (membershipLock) {
      List<RatisEngine.Peer> voters = running.members();
      List<RatisEngine.Peer> replicas = running.replicas();
      List<RatisEngine.Peer> next = replicas.stream().filter(p -> !p.id().equals(replica)).toList();
      LOG.warn("{}: membership change: {}; replicas {} -> {}", id, what, ids(replicas), ids(next));
      meters.membershipChange();
      await(
          running.changeConfiguration(voters, replicas, voters, next),
          "membership change (" + what + ")");
    }
  }

  private void checkScheme(Member added, String what) {
    URI endpoint = added.endpoint();
    String scheme = memberAccess().scheme();
    if (endpoint != null && !scheme.equals(endpoint.getScheme())) {
      throw new ConfigurationException(
          "member",
          what
              + ": the endpoint must be "
              + scheme
              + "://"
              + (scheme.equals("https") ? " (the members use TLS)" : " (no TLS configured)")
              + ", got "
              + endpoint);
    }
  }

  /** On the primary, the most committed entries a replica lacks; 0 elsewhere. */
  private long largestReplicaLag() {
    RatisEngine running = engine;
    if (running == null || !isPrimary()) {
      return 0;
    }
    return running.replicaLag().values().stream()
        .map(RatisEngine.ReplicaLag::entries)
        .filter(java.util.Objects::nonNull)
        .mapToLong(Long::longValue)
        .max()
        .orElse(0);
  }

  /** Whether this node is a disaster-recovery replica in the configuration in force. */
  boolean isReplica() {
    RatisEngine running = engine;
    return running != null && running.isReplica();
  }

  /**
   * Asks for this replica's promotion (see {@link SteadfastNode#requestPromotion}): checks that it
   * is a replica and that no member answers as primary, records the request in its storage, and
   * stops the node; the promotion happens when it starts again.
   *
   * @return what happens next, for the operator
   */
  String requestPromotion(NodeId confirm) {
    String next = recordPromotion(confirm);
    stopForPromotion();
    return next;
  }

  /** {@link #requestPromotion} without the stop. */
  private String recordPromotion(NodeId confirm) {
    RatisEngine running = engine;
    if (running == null || stopped) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    if (!confirm.equals(id)) {
      throw new ConfigurationException(
          "confirm",
          "name this replica, "
              + id
              + ", to confirm its promotion (it was asked for "
              + confirm
              + ")");
    }
    if (!running.isReplica()) {
      throw new ConfigurationException(
          "promote",
          id
              + " is not a replica: only a disaster-recovery replica is promoted (a voting member"
              + " becomes primary by election or switchover)");
    }
    Duration silent = running.sinceLastContact();
    Duration quiet = settings.engine().electionTimeoutMax().multipliedBy(4);
    if (silent != null && silent.compareTo(quiet) < 0 && running.leader().isPresent()) {
      throw new ConfigurationException(
          "promote",
          "the primary "
              + running.leader().get()
              + " sent this replica entries "
              + silent.toMillis()
              + " ms ago: the primary site is up, and a promotion now would make a second"
              + " primary. Stop the primary site's members first, or add this replica as a voting"
              + " member instead");
    }
    for (RatisEngine.Peer voter : running.members()) {
      boolean answers;
      try {
        running.askPeer(voter.id(), Queries.healthQuery()).get(1, TimeUnit.SECONDS);
        answers = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SteadfastException("interrupted while asking " + voter.id(), e);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        answers = false;
      }
      if (answers) {
        throw new ConfigurationException(
            "promote",
            voter.id()
                + " still answers: the primary site is up, and a promotion now could make a second"
                + " primary. Stop the primary site's members first");
      }
    }
    Map<NodeId, URI> voters = peerEndpoints();
    if (!voters.isEmpty()) {
      Optional<NodeId> primary = new PeerCheckpoints(voters, memberAccess()).primary();
      if (primary.isPresent()) {
        throw new ConfigurationException(
            "promote",
            primary.get()
                + " answers as primary: the primary site is up, and a promotion now would make a"
                + " second primary. Stop the primary site's members first");
      }
    }
    long applied = stateMachine.lastAppliedIndex();
    long commit = running.commitIndex();
    try {
      java.nio.file.Files.writeString(
          settings.storage().resolve(ReplicaPromotion.MARKER),
          "promotion of " + id + " asked at applied index " + applied + "\n");
    } catch (IOException e) {
      throw new SteadfastException(
          "cannot record the promotion in " + settings.storage() + ": " + e.getMessage(), e);
    }
    String next =
        id
            + " stops now and becomes the only voting member, and primary, when it starts again"
            + " (its supervisor restarts it). It has applied journal index "
            + applied
            + " and knew entries up to "
            + commit
            + " to be committed; whatever the lost primary committed after the last entry this"
            + " replica received is lost.";
    LOG.warn("{}: PROMOTION requested: {}", id, next);
    return next;
  }

  @Override
  public void stopForPromotion() {
    NodeThreads.thread("promote", id.value(), () -> stop(false)).start();
  }

  /**
   * At start: promotes this replica if its storage holds the promotion marker. A refused promotion
   * (this node is not a replica) is logged and the node starts as it was.
   *
   * @return what the promotion did, or null if none was asked for or it was refused
   */
  private @Nullable String promoteIfAsked(Path group) throws IOException {
    Path marker = settings.storage().resolve(ReplicaPromotion.MARKER);
    if (!java.nio.file.Files.exists(marker)) {
      return null;
    }
    try {
      String done = ReplicaPromotion.promote(group, peer(new Member(id, address(), ownEndpoint())));
      LOG.warn(
          "{}: PROMOTED: {}. Add members to it (steadfast-admin add-member) to have copies again;"
              + " the former members must not start with their old storage",
          id,
          done);
      return done;
    } catch (ReplicaPromotion.RefusedException e) {
      LOG.error("{}: promotion REFUSED, the node starts as it was: {}", id, e.getMessage());
      return null;
    } finally {
      java.nio.file.Files.deleteIfExists(marker);
    }
  }

  @Override
  public List<Map<String, @Nullable Object>> memberList() {
    List<Map<String, @Nullable Object>> list = new ArrayList<>();
    for (Member member : configuration()) {
      Map<String, @Nullable Object> fields = new java.util.LinkedHashMap<>();
      fields.put("id", member.id().value());
      fields.put(
          "journal",
          hostForUri(member.journal().getHostString()) + ":" + member.journal().getPort());
      fields.put("endpoint", member.endpoint() == null ? null : member.endpoint().toString());
      list.add(fields);
    }
    return list;
  }

  @Override
  public boolean changingMembers() {
    RatisEngine running = engine;
    return running != null && running.changingMembers();
  }

  @Override
  public void changeMembers(
      @Nullable NodeId removed,
      @Nullable NodeId added,
      @Nullable String journal,
      @Nullable URI endpoint) {
    Member member = null;
    try {
      if (added != null) {
        member = newMember(added, journal, endpoint);
      }
      if (removed != null && member != null) {
        replaceMember(removed, member);
      } else if (removed != null) {
        removeMember(removed);
      } else if (member != null) {
        addMember(member);
      } else {
        throw new ConfigurationException("member", "name a member to add or to remove");
      }
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A member (or replica) to add, from an operator's words. */
  private static Member newMember(NodeId added, @Nullable String journal, @Nullable URI endpoint) {
    if (journal == null) {
      throw new ConfigurationException("member", "a new member needs its journal host:port");
    }
    int colon = journal.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigurationException(
          "member", "journal address must be host:port, got '" + journal + "'");
    }
    int port;
    try {
      port = Integer.parseInt(journal.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          "member", "journal port must be a number, got '" + journal + "'");
    }
    String host = journal.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Member(added, InetSocketAddress.createUnresolved(host, port), endpoint);
  }

  @Override
  public void addReplica(NodeId replica, @Nullable String journal, @Nullable URI endpoint) {
    try {
      addReplica(newMember(replica, journal, endpoint));
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public String promote(NodeId confirm) {
    try {
      return recordPromotion(confirm);
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public List<String> replicaIds() {
    RatisEngine running = engine;
    return running == null ? List.of() : ids(running.replicas());
  }

  private void periodicAudit() {
    if (!isPrimary() || stopped || shuttingDown) {
      return;
    }
    try {
      auditReplicas(resyncDiffering());
    } catch (RuntimeException e) {
      LOG.info("{}: periodic audit not completed: {}", id, e.toString());
    }
  }

  /**
   * Audits the replicas (see {@link SteadfastNode#auditReplicas()}): journals an audit entry, then
   * compares every member's fingerprints at it with this primary's; re-synchronises the members
   * that differ from the majority when {@code resync} is set.
   */
  ReplicaAudit auditReplicas(boolean resync) {
    RatisEngine running = requirePrimary();
    synchronized (auditLock) {
      // Unique across primaries: the epoch in the high bits, this primary's count in the low.
      long round = (primaryEpoch << 24) | (auditRounds.incrementAndGet() & 0xFFFFFF);
      await(running.write(WireFormat.encode(new JournalEntry.Audit(round))), "journal an audit");
      long deadline = System.nanoTime() + settings.requestDeadline().toNanos();
      Queries.AuditAnswer own =
          awaitAnswer(deadline, 10, () -> Queries.auditAnswer(stateMachine.fingerprints(), round));
      if (own.state() != Queries.AuditState.DONE) {
        throw new SteadfastException(
            "node "
                + id
                + " could not fingerprint its own state for audit "
                + round
                + ": "
                + own.state());
      }
      Map<NodeId, ReplicaAudit.Verdict> verdicts = new TreeMap<>();
      Map<NodeId, Queries.AuditAnswer> answers = new TreeMap<>();
      answers.put(id, own);
      for (NodeId peer : memberIds()) {
        if (peer.equals(id)) {
          continue;
        }
        Queries.AuditAnswer answer =
            awaitAnswer(
                deadline,
                // A member that is down makes the engine log each failed question: ask it seldom.
                200,
                () ->
                    Queries.decodeAudit(
                        running
                            .askPeer(peer, Queries.auditQuery(round))
                            .get(500, TimeUnit.MILLISECONDS)));
        verdicts.put(peer, verdict(own, answer));
        answers.put(peer, answer);
      }
      ReplicaAudit found = new ReplicaAudit(round, own.journalIndex(), id, verdicts);
      report(found, own);
      ReplicaAudit audit = found;
      if (resync && found.foundDifference()) {
        audit =
            new ReplicaAudit(
                round, own.journalIndex(), id, verdicts, resyncDiffering(running, round, answers));
      }
      lastAudit = audit;
      return audit;
    }
  }

  /**
   * Journals a re-sync of the members whose fingerprints differ from those a majority of the
   * members share. With no such majority nothing is changed; when this primary is itself outside
   * it, it hands over to a member of the majority instead, whose next audit re-synchronises it.
   *
   * @return the members told to re-synchronise
   */
  private List<NodeId> resyncDiffering(
      RatisEngine running, long round, Map<NodeId, Queries.AuditAnswer> answers) {
    Map<String, List<NodeId>> holders = new TreeMap<>();
    answers.forEach(
        (member, answer) -> {
          if (answer.state() == Queries.AuditState.DONE) {
            holders
                .computeIfAbsent(
                    answer.runtime() + "/" + answer.application(), k -> new ArrayList<>())
                .add(member);
          }
        });
    int members = memberIds().size();
    Optional<List<NodeId>> majority =
        holders.values().stream().filter(h -> h.size() > members / 2).findFirst();
    if (majority.isEmpty()) {
      LOG.error(
          "{}: audit {}: no majority of the {} members holds the same state ({} distinct states"
              + " among those that answered); nothing is re-synchronised automatically: find the"
              + " member that is right and re-synchronise the others by hand (docs/operations.md,"
              + " 'Audits')",
          id,
          round,
          members,
          holders.size());
      return List.of();
    }
    List<NodeId> sources = majority.get().stream().sorted().toList();
    List<NodeId> targets =
        answers.entrySet().stream()
            .filter(
                e ->
                    e.getValue().state() == Queries.AuditState.DONE
                        && !sources.contains(e.getKey()))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    if (targets.isEmpty()) {
      return List.of();
    }
    if (targets.contains(id)) {
      NodeId successor = sources.get(0);
      LOG.error(
          "{}: audit {}: this PRIMARY's state differs from the state {} share; handing over to {}"
              + " so that its next audit re-synchronises this member",
          id,
          round,
          sources,
          successor);
      try {
        handOver(successor, RoleChange.Reason.HEALTH);
      } catch (RuntimeException e) {
        LOG.error(
            "{}: hand-over to {} after audit {} failed: {}", id, successor, round, e.toString());
      }
      return List.of();
    }
    await(
        running.write(WireFormat.encode(new JournalEntry.Resync(round, targets, sources))),
        "journal a re-sync");
    LOG.warn(
        "{}: audit {}: RE-SYNCHRONISING {} from the state {} share (the targets fetch a copy of it"
            + " as it stands after the re-sync entry)",
        id,
        round,
        targets,
        sources);
    return targets;
  }

  /** What a member waits at most, on its apply thread, for a copy of the state to re-sync from. */
  static final Duration RESYNC_WAIT = Duration.ofSeconds(60);

  /**
   * Fetches the copy of the state for re-sync {@code round} from the first of {@code sources} that
   * has it, in chunks, into {@code into}; asks again every 100 ms while the sources have not
   * applied the entry or are still writing, for at most {@link #RESYNC_WAIT}.
   */
  private Optional<NodeId> fetchResync(
      long round, long journalIndex, List<NodeId> sources, Path into) {
    long deadline = System.nanoTime() + RESYNC_WAIT.toNanos();
    java.util.Set<NodeId> gone = new java.util.TreeSet<>();
    while (!stopped && System.nanoTime() < deadline && gone.size() < sources.size()) {
      RatisEngine running = engine;
      if (running == null) {
        return Optional.empty();
      }
      for (NodeId source : sources) {
        if (gone.contains(source)) {
          continue;
        }
        try {
          ResyncCopies.Chunk first = askResync(running, source, round, journalIndex, 0);
          switch (first.state()) {
            case GONE -> gone.add(source);
            case NOT_YET, WRITING -> {}
            case READY -> {
              download(running, source, round, journalIndex, first, into);
              return Optional.of(source);
            }
          }
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return Optional.empty();
          }
          LOG.info("{}: no re-sync copy from {} yet: {}", id, source, e.toString());
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static ResyncCopies.Chunk askResync(
      RatisEngine running, NodeId source, long round, long journalIndex, long offset)
      throws Exception {
    return Queries.decodeResync(
        running
            .askPeer(source, Queries.resyncQuery(round, journalIndex, offset))
            .get(10, TimeUnit.SECONDS));
  }

  private static void download(
      RatisEngine running,
      NodeId source,
      long round,
      long journalIndex,
      ResyncCopies.Chunk first,
      Path into)
      throws Exception {
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(into)) {
      ResyncCopies.Chunk chunk = first;
      long offset = 0;
      while (true) {
        if (chunk.state() != ResyncCopies.State.READY || chunk.length() != first.length()) {
          throw new IOException(source + " stopped serving its copy at byte " + offset);
        }
        out.write(chunk.chunk());
        offset += chunk.chunk().length;
        if (offset >= first.length()) {
          return;
        }
        if (chunk.chunk().length == 0) {
          throw new IOException(source + " sent an empty chunk at byte " + offset);
        }
        chunk = askResync(running, source, round, journalIndex, offset);
      }
    }
  }

  /** Asks until the answer is final (done or failed) or the deadline passes; the last answer. */
  private Queries.AuditAnswer awaitAnswer(long deadline, long pauseMillis, AnswerSource source) {
    Queries.AuditAnswer last = new Queries.AuditAnswer(Queries.AuditState.UNKNOWN, 0, "", "");
    while (true) {
      try {
        last = source.ask();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return last;
        }
        // not answering now: down, or between leaders; ask again until the deadline
      }
      if (last.state() == Queries.AuditState.DONE || last.state() == Queries.AuditState.FAILED) {
        return last;
      }
      if (System.nanoTime() > deadline || stopped) {
        return last;
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return last;
      }
    }
  }

  /** One way of asking for an audit answer. */
  @FunctionalInterface
  private interface AnswerSource {
    Queries.AuditAnswer ask() throws Exception;
  }

  private static ReplicaAudit.Verdict verdict(Queries.AuditAnswer own, Queries.AuditAnswer other) {
    return switch (other.state()) {
      case UNKNOWN, PENDING -> ReplicaAudit.Verdict.NOT_ANSWERED;
      case FAILED -> ReplicaAudit.Verdict.NOT_FINGERPRINTED;
      case DONE ->
          !own.runtime().equals(other.runtime())
              ? ReplicaAudit.Verdict.RUNTIME_STATE_DIFFERS
              : !own.application().equals(other.application())
                  ? ReplicaAudit.Verdict.APPLICATION_STATE_DIFFERS
                  : ReplicaAudit.Verdict.MATCH;
    };
  }

  private void report(ReplicaAudit audit, Queries.AuditAnswer own) {
    audit
        .verdicts()
        .forEach(
            (member, verdict) -> {
              meters.audited(member.value(), verdict.name());
              switch (verdict) {
                case RUNTIME_STATE_DIFFERS, APPLICATION_STATE_DIFFERS ->
                    LOG.error(
                        "{}: audit {} at journal index {}: member {} DIFFERS from this primary in"
                            + " its {} (primary runtime {} application {}); its state is not"
                            + " trusted: re-synchronise it (docs/operations.md, 'Audits')",
                        id,
                        audit.round(),
                        audit.journalIndex(),
                        member,
                        verdict == ReplicaAudit.Verdict.RUNTIME_STATE_DIFFERS
                            ? "runtime state (sessions, resume points, positions)"
                            : "application state (checkpoint payload)",
                        own.runtime().substring(0, Math.min(12, own.runtime().length())),
                        own.application().substring(0, Math.min(12, own.application().length())));
                case NOT_ANSWERED, NOT_FINGERPRINTED ->
                    LOG.warn(
                        "{}: audit {} at journal index {}: member {} {}",
                        id,
                        audit.round(),
                        audit.journalIndex(),
                        member,
                        verdict == ReplicaAudit.Verdict.NOT_ANSWERED
                            ? "did not answer within the request deadline"
                            : "could not fingerprint its state (its checkpoint failed)");
                case MATCH -> {}
              }
            });
    if (audit.allMatch()) {
      LOG.info(
          "{}: audit {} at journal index {}: all {} other members match",
          id,
          audit.round(),
          audit.journalIndex(),
          audit.verdicts().size());
    }
  }

  /** Whether this node's audits re-synchronise the members that differ. */
  boolean resyncDiffering() {
    return settings.options().resyncDiffering();
  }

  /** The newest audit this node ran as primary, if any. */
  Optional<ReplicaAudit> lastAudit() {
    return Optional.ofNullable(lastAudit);
  }

  /**
   * Raises the cluster's active application version to {@code version} (see {@link
   * SteadfastNode#finalizeVersion}): asks every member which version its code supports and journals
   * the finalize only when all support it.
   */
  int finalizeVersion(int version) {
    RatisEngine running = requirePrimary();
    if (version < 1) {
      throw new ConfigurationException("version", "must be positive: " + version);
    }
    int active = stateMachine.core().activeVersion();
    if (version <= active) {
      return active;
    }
    Map<NodeId, String> lacking = new TreeMap<>();
    for (NodeId member : memberIds()) {
      String why;
      if (member.equals(id)) {
        int own = stateMachine.core().application().supportedVersion();
        why = own >= version ? null : "its code supports version " + own;
      } else {
        why = askVersion(running, member, version);
      }
      if (why != null) {
        lacking.put(member, why);
      }
    }
    if (!lacking.isEmpty()) {
      throw new ConfigurationException(
          "version",
          "cannot finalize application version "
              + version
              + " (active "
              + active
              + "): "
              + lacking
              + "; upgrade those members first, or wait until they answer");
    }
    LOG.warn("{}: finalizing application version {} (was {})", id, version, active);
    await(running.write(WireFormat.encode(new JournalEntry.Finalize(version))), "finalize");
    return stateMachine.core().activeVersion();
  }

  /**
   * Asks {@code member} which version its code supports, again every 100 ms while it does not
   * answer (a member that just restarted refuses until it knows the commit index), up to the
   * request deadline.
   *
   * @return null when it supports {@code version}, else why not
   */
  private @Nullable String askVersion(RatisEngine running, NodeId member, int version) {
    long end = System.nanoTime() + settings.requestDeadline().toNanos();
    String why;
    while (true) {
      try {
        int theirs =
            Queries.decodeVersion(
                running
                    .askPeer(member, Queries.versionQuery())
                    .get(settings.engine().requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
        return theirs >= version ? null : "its code supports version " + theirs;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while asking it";
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        Throwable cause =
            e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        why = "it did not answer: " + cause.getMessage();
      }
      if (System.nanoTime() > end || stopped) {
        return why;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return why;
      }
    }
  }

  @Override
  public Map<String, @Nullable Object> finalizeNow(int version) {
    try {
      int active = finalizeVersion(version);
      Map<String, @Nullable Object> fields = new java.util.LinkedHashMap<>();
      fields.put("activeVersion", active);
      return fields;
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public Map<String, @Nullable Object> auditNow(boolean resync) {
    return auditFields(auditReplicas(resync));
  }

  /**
   * The replicas in force: on the primary with how far each is behind, elsewhere their ids only.
   */
  private Map<String, @Nullable Object> replicaFields(@Nullable RatisEngine running) {
    Map<String, @Nullable Object> fields = new TreeMap<>();
    if (running == null) {
      return fields;
    }
    if (isPrimary()) {
      running
          .replicaLag()
          .forEach(
              (replica, lag) -> {
                Map<String, @Nullable Object> one = new java.util.LinkedHashMap<>();
                one.put("lagEntries", lag.entries());
                one.put(
                    "millisSinceContact",
                    lag.sinceContact() == null ? null : lag.sinceContact().toMillis());
                fields.put(replica.value(), one);
              });
    } else {
      running.replicas().forEach(r -> fields.put(r.id().value(), null));
    }
    return fields;
  }

  private static Map<String, @Nullable Object> auditFields(ReplicaAudit audit) {
    Map<String, @Nullable Object> fields = new java.util.LinkedHashMap<>();
    fields.put("round", audit.round());
    fields.put("journalIndex", audit.journalIndex());
    fields.put("primary", audit.primary().value());
    Map<String, Object> verdicts = new TreeMap<>();
    audit.verdicts().forEach((member, verdict) -> verdicts.put(member.value(), verdict.name()));
    fields.put("verdicts", verdicts);
    fields.put("foundDifference", audit.foundDifference());
    fields.put("resyncing", audit.resyncing().stream().map(NodeId::value).toList());
    return fields;
  }

  private static List<String> ids(List<RatisEngine.Peer> peers) {
    return peers.stream().map(p -> p.id().value()).toList();
  }

  @Override
  public void checkpointNow() {
    stateMachine.requestCheckpoint();
    GroupCommitter running = committer;
    if (primaryReady && running != null) {
      running.tickIfIdle(Duration.ZERO);
    }
  }

  @Override
  public void stepDown() {
    RatisEngine running = requirePrimary();
    LOG.warn("{}: stepping down as asked, so that the members elect again", id);
    await(running.stepDown(Duration.ofSeconds(3)), "step down");
  }

  void handOver(NodeId target, RoleChange.Reason reason) {
    if (!memberIds().contains(target)) {
      throw new ConfigurationException(
          "target", "unknown node " + target + "; members are " + memberIds());
    }
    RatisEngine running = requirePrimary();
    if (target.equals(id)) {
      return;
    }
    long epoch = primaryEpoch;
    meters.handedOver(reason.name());
    // The announcement is appended to this leader's journal before write() returns, so the target
    // receives it while catching up for the transfer and has applied it by the time it is ready as
    // primary; waiting for it to commit first would only add a round trip.
    CompletableFuture<byte[]> announced =
        running.write(WireFormat.encode(new JournalEntry.HandOver(target, reason, epoch)));
    announced.exceptionally(
        e -> {
          LOG.warn("{}: hand-over announcement to {} not confirmed: {}", id, target, e.toString());
          return null;
        });
    try {
      await(
          running.transferLeadership(target, settings.engine().requestTimeout()),
          "transfer leadership to " + target);
    } catch (SteadfastException e) {
      if (!isPrimary()) {
        throw e;
      }
      // Still primary: the target could not take over in time (Ratis answers a transfer that
      // failed with "not leader" as often as with "timed out"). Say what the primary knows of it.
      throw new HandOverFailedException(
          "node "
              + id
              + " could not hand the primary role to "
              + target
              + " ("
              + e.getMessage()
              + "); "
              + target
              + " "
              + progressOf(running, target)
              + "; "
              + id
              + " stays primary",
          e);
    }
  }

  /**
   * How far {@code member} is behind as the primary sees it, for the message of a failed hand-over:
   * a target that is far behind or has not answered for a while cannot take over, and the operator
   * should see which.
   */
  private static String progressOf(RatisEngine running, NodeId member) {
    RatisEngine.FollowerProgress progress = running.voterProgress().get(member);
    if (progress == null) {
      return "is not a voting member the primary follows";
    }
    Long reported = progress.commitIndex();
    Duration since = progress.sinceContact();
    return "last reported journal index "
        + (reported == null ? "none" : reported)
        + " of "
        + running.commitIndex()
        + " committed, and last answered "
        + (since == null ? "never" : since.toMillis() + " ms ago");
  }

  @Override
  public Map<String, @Nullable Object> statusFields() {
    NodeStatus status = status();
    Map<String, @Nullable Object> fields = new java.util.LinkedHashMap<>();
    fields.put("node", id.value());
    fields.put("role", status.role().name());
    fields.put("epoch", status.epoch());
    fields.put("primary", status.primary().map(NodeId::value).orElse(null));
    fields.put("ready", isReady(status));
    fields.put("upMillis", (System.nanoTime() - startedNanos) / 1_000_000);
    fields.put("appliedPosition", status.appliedPosition().toString());
    fields.put("appliedIndex", status.appliedIndex());
    fields.put("commitIndex", status.commitIndex());
    fields.put("applyLag", status.applyLag());
    fields.put("journalStartIndex", status.journalStartIndex());
    fields.put("journalEndIndex", status.journalEndIndex());
    fields.put("lastCheckpointIndex", status.lastCheckpointIndex());
    fields.put("openSessions", status.openSessions());
    fields.put("health", status.health().status().name());
    fields.put("healthDetail", status.health().detail());
    fields.put("exitPointOverruns", status.overruns());
    fields.put("applicationFaults", status.applicationFaults());
    fields.put("skippedEntries", status.skippedEntries());
    fields.put("recoveredFrom", status.recoveredFrom().orElse(null));
    fields.put("storageRepairs", status.storageRepairs());
    RatisEngine running = engine;
    fields.put("members", memberIds().stream().map(NodeId::value).toList());
    fields.put("member", running != null && running.isMember());
    fields.put("membershipChanging", running != null && running.changingMembers());
    fields.put("replica", running != null && running.isReplica());
    fields.put("replicas", replicaFields(running));
    fields.put("followers", isPrimary() ? replicationHost.view() : Map.of());
    ReplicaAudit audit = lastAudit;
    fields.put("lastAudit", audit == null ? null : auditFields(audit));
    fields.put("lastResync", lastResync);
    fields.put("activeVersion", stateMachine.core().activeVersion());
    fields.put("supportedVersion", stateMachine.core().application().supportedVersion());
    fields.put(
        "millisSinceLastContact", status.sinceLastContact().map(Duration::toMillis).orElse(null));
    return fields;
  }

  @Override
  public Map<String, @Nullable Object> digest() {
    StateDigest digest = new NodeAudit<>(id, stateMachine).digest();
    Map<String, @Nullable Object> fields = new java.util.LinkedHashMap<>();
    fields.put("node", id.value());
    fields.put("position", digest.position().toString());
    fields.put("journalIndex", digest.journalIndex());
    fields.put("sha256", digest.sha256());
    return fields;
  }

  @Override
  public boolean isReady() {
    return isReady(status());
  }

  /** {@link #isReady()} from a status already read. */
  private boolean isReady(NodeStatus status) {
    if (stopped || engine == null) {
      return false;
    }
    if (isPrimary()) {
      return true;
    }
    return status.role() == Role.BACKUP
        && status.primary().isPresent()
        && status.commitIndex() >= 0
        && status.commitIndex() - status.appliedIndex() <= CAUGHT_UP_ENTRIES;
  }

  @Override
  public boolean isHealthyBackup() {
    NodeStatus status = status();
    return !isPrimary()
        && isReady(status)
        && status.health().status() == io.steadfast.api.Health.Status.UP;
  }

  /** This node's status. */
  NodeStatus status() {
    RatisEngine running = engine;
    ReplicatedCore<C, R> core = stateMachine.core();
    int sessions = core.openSessions();
    long overruns =
        core.applyClock().overruns()
            + stateMachine.checkpointClock().overruns()
            + stateMachine.restoreClock().overruns()
            + roles.clock().overruns()
            + (heartbeat == null ? 0 : heartbeat.clock().overruns());
    return new NodeStatus(
        new NodeStatus.Values(
            id,
            roles.role(),
            running == null ? -1 : running.term(),
            knownPrimary,
            core.lastPosition(),
            stateMachine.lastAppliedIndex(),
            running == null ? -1 : running.commitIndex(),
            running == null ? -1 : running.journalStartIndex(),
            running == null ? -1 : running.journalEndIndex(),
            stateMachine.lastCheckpointIndex(),
            sessions,
            currentHealth(),
            overruns,
            recoveredFrom,
            running == null || stopped ? null : running.sinceLastContact(),
            core.faults(),
            stateMachine.poisonEntries(),
            repairs));
  }

  /**
   * After a repair that cut journal entries or rewrote the vote record, the node takes part in
   * elections only once it knows a primary exists: the primary holds every committed entry (Raft's
   * leader completeness), so what was cut here is fetched from it like any lagging backup's tail,
   * and no election can be decided by this node's shortened journal or forgotten vote meanwhile.
   *
   * @throws StorageRepairException if no primary answered within the wait and loss is not accepted
   */
  private void awaitKeeperOfCutEntries(
      JournalRepair.Report journal, @Nullable PeerCheckpoints peers) {
    if (peers == null && !journal.journalCut()) {
      // A sole member with a rewritten vote record: there is nobody it could have voted for.
      return;
    }
    if (settings.options().acceptJournalLoss()) {
      LOG.warn(
          "{}: starting from the repaired journal without waiting for a primary, as configured;"
              + " entries after {} that were held nowhere else are lost",
          id,
          journal.lastSound());
      return;
    }
    long end = System.nanoTime() + settings.options().repairWait().toNanos();
    while (peers != null) {
      Optional<NodeId> primary = peers.primary();
      if (primary.isPresent()) {
        LOG.warn(
            "{}: storage repaired; {} is primary and holds every committed entry, so this node"
                + " starts and fetches what was cut from it",
            id,
            primary.get());
        if (journal.journalCut()) {
          // The primary remembers how far this node's journal reached and sends nothing below
          // that until it is elected again; a step-down (it may win again) makes it ask afresh.
          peers.askToStepDown(primary.get());
        }
        return;
      }
      if (System.nanoTime() > end) {
        break;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new StorageRepairException(
        settings.storage(),
        repairs,
        "node "
            + id
            + " repaired its storage at "
            + settings.storage()
            + " ("
            + String.join("; ", journal.what())
            + ") and will not start: "
            + (peers == null
                ? "it has no peers, so what was cut may have been the only copy"
                : "no primary answered within " + settings.options().repairWait())
            + ". Start the other members so that a primary exists, then start this one again;"
            + " if this node held the only copy, the entries after "
            + journal.lastSound()
            + " are lost: start it with the loss accepted (storage.accept-journal-loss=true,"
            + " SteadfastNode.Builder.acceptJournalLoss()).");
  }

  private synchronized void addRepair(String line) {
    List<String> more = new ArrayList<>(repairs);
    more.add(line);
    repairs = List.copyOf(more);
  }

  /** Stops this node after an error it cannot recover from while running; never waits for it. */
  private void failStop(Throwable cause) {
    LOG.error(
        "{}: stopping after an error it cannot recover from; restart it to recover from its"
            + " checkpoint and the journal",
        id,
        cause);
    primaryReady = false;
    Thread stopper = NodeThreads.thread("failstop", id.value(), () -> stop(false));
    stopper.start();
  }

  /** The state machine, for the facade's audit view. */
  StateMachineAdapter<C, R> stateMachine() {
    return stateMachine;
  }

  /** The epoch this node was last promoted in. */
  @Override
  public long primaryEpoch() {
    return primaryEpoch;
  }

  /** The position of the last command applied on this node. */
  Position appliedPosition() {
    return stateMachine.core().lastPosition();
  }

  /**
   * Answers a read-only request from the application's {@code query}, linearizably (confirmed with
   * a majority first). Must be called on the primary.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws io.steadfast.api.CommandRejectedException if the application's query threw
   */
  R query(Principal principal, C request) {
    ReplicatedCore.checkVersion(request, stateMachine.core().activeVersion());
    authorizer.check(principal, request);
    RatisEngine running = requirePrimary();
    byte[] payload = settings.codec().encodeCommand(request);
    byte[] reply = await(running.read(Queries.appQuery(principal, payload)), "query");
    return Queries.decodeAppReply(reply, settings.codec());
  }

  @Override
  public byte[] query(byte[] query, @Nullable String caller) {
    checkQuery(query, caller);
    RatisEngine running = requirePrimary();
    return await(running.read(query), "query");
  }

  @Override
  public byte[] queryStale(byte[] query, @Nullable String caller) {
    checkQuery(query, caller);
    if (!isReady(status())) {
      throw new SteadfastException(
          "node " + id + " is not ready to serve stale reads (not primary, or not caught up)");
    }
    return stateMachine.read(core -> Queries.answer(query, core, settings.codec()));
  }

  /** A remote caller queries only as itself, and the principal needs the request's roles. */
  private void checkQuery(byte[] query, @Nullable String caller) {
    Queries.AppQuery asked = Queries.decodeAppQuery(query);
    if (caller != null && !caller.equals(asked.principal().user())) {
      throw new NotAuthorizedException(
          caller,
          "query as " + asked.principal().user(),
          Set.of(),
          "user " + caller + " may not query as " + asked.principal().user());
    }
    Object decoded = CommandDecoding.decode(settings.codec(), asked.payload());
    ReplicatedCore.checkVersion(decoded, stateMachine.core().activeVersion());
    authorizer.check(asked.principal(), decoded);
  }

  /** Journals one session request; the entry point of every session, local or routed. */
  @Override
  public CompletableFuture<Outcome> submit(Request request, @Nullable String caller) {
    if (stopped) {
      return CompletableFuture.failedFuture(new NotPrimaryException(id, null));
    }
    GroupCommitter running = committer;
    if (!primaryReady || running == null) {
      return CompletableFuture.failedFuture(new NotPrimaryException(id, knownPrimary));
    }
    try {
      door(request, caller);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Outcome> submitted = running.submit(request, settings.requestDeadline());
    if (submitted.isCompletedExceptionally()) {
      // Refused before journaling (queue full, closed): nothing will apply it here.
      stateMachine.decodedAtDoor().forget(request.session(), request.sequence());
    }
    return submitted;
  }

  /**
   * Whether this node is not the ready primary and expects to learn of one shortly: it leads but
   * its first entry of the term is not applied yet, it knows no leader (an election is under way),
   * or the leader it knows refused a connection to its journal port (its process is gone, an
   * election follows). A request refused now would only send its client looking elsewhere.
   */
  private boolean electionUnderWay() {
    RatisEngine running = engine;
    if (stopped || shuttingDown || primaryReady || running == null) {
      return false;
    }
    Optional<NodeId> leader = running.leader();
    if (leader.isEmpty() || leader.get().equals(id)) {
      return true;
    }
    DeadPrimaryWatch watch = primaryWatch;
    return watch != null && watch.foundDead(leader.get());
  }

  /** After a change of this node's view of the primary: wakes whatever waits for news of it. */
  private void announcePrimaryNews() {
    Objects.requireNonNull(primaryNews.getAndSet(new CompletableFuture<>())).complete(null);
  }

  @Override
  public CompletableFuture<Boolean> primarySettled(Duration atMost, Executor executor) {
    if (!electionUnderWay()) {
      return CompletableFuture.completedFuture(false);
    }
    return settle(System.nanoTime() + atMost.toNanos(), executor).thenApply(ignored -> true);
  }

  /** Waits, news by news, until no election is under way here or {@code deadline} (nanoTime). */
  private CompletableFuture<Void> settle(long deadline, Executor executor) {
    CompletableFuture<Void> news = Objects.requireNonNull(primaryNews.get());
    if (!electionUnderWay()) {
      return CompletableFuture.completedFuture(null);
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return news.copy()
        .completeOnTimeout(null, left, TimeUnit.NANOSECONDS)
        .thenComposeAsync(ignored -> settle(deadline, executor), executor);
  }

  /**
   * The checks made before a request is journaled, against this primary's applied state; the
   * journal repeats the deterministic ones at apply.
   */
  private void door(Request request, @Nullable String caller) {
    SessionId session = request.session();
    if (request.kind() == Request.Kind.OPEN) {
      long ttl = Objects.requireNonNull(request.ttl()).toMillis();
      if (ttl < 1 || ttl > SessionTable.MAX_TTL.toMillis()) {
        throw new SessionLimitException(
            session, "ttl of " + ttl + " ms outside 1 ms to " + SessionTable.MAX_TTL);
      }
      boolean full =
          stateMachine.read(
              core ->
                  core.sessions().get(session).isEmpty()
                      && core.sessions().size() >= SessionTable.MAX_OPEN);
      if (full) {
        throw new SessionLimitException(
            session, SessionTable.MAX_OPEN + " sessions are open, the most allowed");
      }
      return;
    }
    Optional<SessionRecord> record = stateMachine.read(core -> core.sessions().get(session));
    // An open record, or else the tombstone of a closed or expired session, names the owner.
    Optional<Principal> owner =
        record
            .or(
                () ->
                    stateMachine.read(
                        core -> core.sessions().tombstone(session).map(t -> t.record())))
            .map(SessionRecord::principal);
    if (owner.isEmpty()) {
      throw new UnknownSessionException(session); // never opened: nothing to journal
    }
    if (caller != null && !caller.equals(owner.get().user())) {
      throw notOwner(caller, session);
    }
    if (request.kind() == Request.Kind.COMMAND && record.isPresent()) {
      // An undecodable payload refuses the request before it is journaled, whatever the codec
      // threw.
      byte[] payload = Objects.requireNonNull(request.payload());
      Object command = CommandDecoding.decode(settings.codec(), payload);
      ReplicatedCore.checkVersion(command, stateMachine.core().activeVersion());
      authorizer.check(owner.get(), command);
      // Passed: apply here takes this object rather than decoding the same bytes again.
      stateMachine.decodedAtDoor().keep(session, request.sequence(), payload, command);
    }
  }

  private static NotAuthorizedException notOwner(String caller, SessionId session) {
    return new NotAuthorizedException(
        caller,
        "session " + session.value(),
        Set.of(),
        "user " + caller + " may not use session " + session.value() + ": it is another user's");
  }

  /** The newest checkpoint file this node holds, if any (served to peers that need one). */
  @Override
  public Optional<java.nio.file.Path> newestCheckpoint() {
    return stateMachine.newestCheckpointFile();
  }

  /**
   * Reads a session's replicated record from the primary, linearizably; with {@code attach}, tells
   * the application the session re-attached.
   */
  @Override
  public SessionView readSession(SessionId session, boolean attach, @Nullable String caller) {
    RatisEngine running = requirePrimary();
    SessionView view =
        Queries.decodeSessionReply(
            await(running.read(Queries.sessionQuery(session)), "read session " + session));
    if (caller != null && view.state() == SessionView.State.OPEN && !caller.equals(view.owner())) {
      throw notOwner(caller, session);
    }
    if (attach && view.state() == SessionView.State.OPEN) {
      Optional<Principal> principal =
          stateMachine.read(core -> core.sessions().get(session).map(SessionRecord::principal));
      principal.ifPresent(
          p ->
              roles.resumed(
                  new io.steadfast.api.session.SessionResumed(
                      session, p, view.resumePoint(), view.lastSequence())));
    }
    return view;
  }

  private byte[] answer(byte[] query) {
    return Queries.answer(query, stateMachine.core(), settings.codec());
  }

  private RatisEngine requirePrimary() {
    RatisEngine running = engine;
    if (running == null || stopped || !primaryReady) {
      throw new NotPrimaryException(id, knownPrimary);
    }
    return running;
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(settings.requestDeadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SteadfastException steadfast) {
        throw steadfast;
      }
      throw new SteadfastException("node " + id + " could not " + what + ": " + cause, cause);
    } catch (TimeoutException e) {
      throw new SteadfastException(
          "node " + id + " could not " + what + " within " + settings.requestDeadline(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SteadfastException("node " + id + " interrupted during " + what, e);
    }
  }

  /**
   * Stops the node as a killed process would: no role callback, no checkpoint, no hand-over, no
   * goodbye to peers. Its storage stays as it is for a later restart.
   */
  void crash() {
    stop(false);
  }

  /** Stops the node gracefully; the application is told {@code END}. Idempotent. */
  void close() {
    stop(true);
  }

  private void stop(boolean graceful) {
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopped = true;
      primaryReady = false;
      announcePrimaryNews();
      HttpEndpoint endpoint = http;
      if (endpoint != null) {
        endpoint.close();
      }
      Heartbeat beat = heartbeat;
      if (beat != null) {
        beat.close();
      }
      DeadPrimaryWatch watch = primaryWatch;
      if (watch != null) {
        watch.close();
      }
      StorageScrub scrubber = scrub;
      if (scrubber != null) {
        scrubber.close();
      }
      java.util.concurrent.ScheduledExecutorService audits = auditor;
      if (audits != null) {
        audits.shutdownNow();
      }
      GroupCommitter runningCommitter = committer;
      if (runningCommitter != null) {
        runningCommitter.close();
      }
      RatisEngine running = engine;
      if (running != null) {
        try {
          running.close();
        } catch (IOException e) {
          throw new UncheckedIOException("node " + id + " did not stop cleanly", e);
        }
      }
      if (graceful) {
        roles.change(Role.ENDED, RoleChange.Reason.END, primaryEpoch, appliedPosition());
      }
      if (graceful) {
        roles.shutdown(Duration.ofSeconds(5));
      } else {
        roles.kill(CRASHED_CALLBACK_WAIT);
      }
      meters.close();
      LOG.info("{}: {}", id, graceful ? "stopped" : "crashed");
    }
  }

  private Health currentHealth() {
    Heartbeat beat = heartbeat;
    return beat == null ? Health.up() : beat.health();
  }

  /** What the dead-primary watch sees of this node's engine. */
  private final class WatchHost implements DeadPrimaryWatch.Host {
    @Override
    public boolean isBackup() {
      RatisEngine running = engine;
      return running != null && isVoterNotLeading(running) && running.isFollower();
    }

    @Override
    public boolean isVoterNotLeading() {
      RatisEngine running = engine;
      return running != null && isVoterNotLeading(running);
    }

    /**
     * A replica never stands for election, whatever the primary's state; nor does a member of a
     * cluster being closed whole, whose primary's port closes on purpose.
     */
    private boolean isVoterNotLeading(RatisEngine running) {
      return !stopped && !shuttingDown && !running.isLeader() && !running.isReplica();
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> reconnect(NodeId member) {
      RatisEngine running = engine;
      if (running == null) {
        return java.util.concurrent.CompletableFuture.failedFuture(
            new IllegalStateException("not running"));
      }
      return running.reconnect(member).thenRun(() -> meters.peerReconnected(member.value()));
    }

    @Override
    public Optional<NodeId> primary() {
      RatisEngine running = engine;
      return running == null ? Optional.empty() : running.leader();
    }

    @Override
    public @Nullable Duration sinceLastContact() {
      RatisEngine running = engine;
      return running == null ? null : running.sinceLastContact();
    }

    @Override
    public long epoch() {
      RatisEngine running = engine;
      return running == null ? -1 : running.term();
    }

    @Override
    public Optional<java.net.InetSocketAddress> journalAddress(NodeId member) {
      RatisEngine running = engine;
      return running == null ? Optional.empty() : running.journalAddress(member);
    }

    @Override
    public java.util.List<NodeId> members() {
      return memberIds();
    }

    @Override
    public boolean campaign(NodeId formerPrimary, DeadPrimaryWatch.Noticed noticed) {
      RatisEngine running = engine;
      boolean started = running != null && running.campaign(formerPrimary);
      meters.deadPrimaryFound(started, noticed.name().toLowerCase(java.util.Locale.ROOT));
      return started;
    }

    @Override
    public DeadPrimaryWatch.@Nullable JournalEnd journalEnd() {
      return NodeRuntime.this.journalEnd();
    }

    @Override
    public java.util.concurrent.CompletableFuture<DeadPrimaryWatch.JournalEnd> askJournalEnd(
        NodeId member) {
      RatisEngine running = engine;
      if (running == null) {
        return java.util.concurrent.CompletableFuture.failedFuture(
            new IllegalStateException("not running"));
      }
      return running
          .askPeer(member, Queries.journalEndQuery())
          .thenApply(Queries::decodeJournalEnd);
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> keepInReach(NodeId member) {
      RatisEngine running = engine;
      if (running == null) {
        return java.util.concurrent.CompletableFuture.failedFuture(
            new IllegalStateException("not running"));
      }
      return running.askPeer(member, Queries.versionQuery());
    }
  }

  /** Where this node's journal ends, or null while its engine is not running. */
  DeadPrimaryWatch.@Nullable JournalEnd journalEnd() {
    RatisEngine running = engine;
    RatisEngine.LastEntry last = running == null ? null : running.lastEntry();
    return last == null ? null : new DeadPrimaryWatch.JournalEnd(last.term(), last.index());
  }

  /** Asks {@code peer} where its journal ends, as the dead-primary watch does; for tests. */
  java.util.concurrent.CompletableFuture<DeadPrimaryWatch.JournalEnd> askJournalEnd(NodeId peer) {
    return new WatchHost().askJournalEnd(peer);
  }

  private long engineCommitIndex() {
    RatisEngine running = engine;
    return running == null ? -1 : running.commitIndex();
  }

  /**
   * The replication watch's view of this node, on the primary. A follower's commit index is the one
   * it reports of itself when asked directly (at most one question in flight per follower, the
   * latest answer used while younger than {@link ReplicationWatch#ANSWERED}), because the engine's
   * leader can keep a wrong record of a follower; the leader's record is used for a follower that
   * does not answer the question (an older release).
   */
  private final class ReplicationHost implements ReplicationWatch.Host {
    private record SelfReport(long commitIndex, long atNanos) {}

    /**
     * After a question to a member fails, it is not asked again for this long: long enough that a
     * dead former primary is asked once or twice, short enough that a member back from a restart is
     * judged by its own count within a few seconds.
     */
    private static final long RETRY_AFTER_FAILURE_NANOS = ReplicationWatch.ANSWERED.toNanos();

    private final Map<NodeId, SelfReport> reports = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Map<String, Map<String, @Nullable Object>> view = Map.of();
    private final Map<NodeId, Long> failedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<NodeId> asking = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public boolean isPrimary() {
      return NodeRuntime.this.isPrimary();
    }

    @Override
    public long commitIndex() {
      return engineCommitIndex();
    }

    @Override
    public Map<NodeId, ReplicationWatch.Progress> followers() {
      RatisEngine running = engine;
      Map<NodeId, ReplicationWatch.Progress> out = new java.util.TreeMap<>();
      if (running == null) {
        return out;
      }
      Map<NodeId, RatisEngine.FollowerProgress> progress = running.voterProgress();
      Map<String, Map<String, @Nullable Object>> seen = new TreeMap<>();
      reports.keySet().retainAll(progress.keySet());
      failedAt.keySet().retainAll(progress.keySet());
      long now = System.nanoTime();
      progress.forEach(
          (peer, p) -> {
            // A member the engine has not heard from lately is down, not stalled, and asking it
            // would only fail (the engine's client logs each failure as an error); so would
            // asking again soon after a question failed (a new primary's engine counts a dead
            // member as heard from when its leadership began).
            Long failed = failedAt.get(peer);
            if (p.sinceContact() != null
                && p.sinceContact().compareTo(ReplicationWatch.ANSWERED) <= 0
                && (failed == null || now - failed >= RETRY_AFTER_FAILURE_NANOS)) {
              ask(running, peer);
            }
            SelfReport report = reports.get(peer);
            Long own =
                report != null && now - report.atNanos() <= ReplicationWatch.ANSWERED.toNanos()
                    ? Long.valueOf(report.commitIndex())
                    : null;
            out.put(
                peer,
                new ReplicationWatch.Progress(
                    own != null ? own : p.commitIndex(), p.sinceContact()));
            Map<String, @Nullable Object> one = new java.util.LinkedHashMap<>();
            one.put("commitIndex", own);
            one.put("engineRecordCommitIndex", p.commitIndex());
            one.put(
                "millisSinceContact",
                p.sinceContact() == null ? null : p.sinceContact().toMillis());
            seen.put(peer.value(), one);
          });
      view = seen;
      return out;
    }

    /** What the last look saw of each voting member, for the primary's status. */
    Map<String, Map<String, @Nullable Object>> view() {
      return view;
    }

    private void ask(RatisEngine running, NodeId peer) {
      if (!asking.add(peer)) {
        return;
      }
      try {
        var unused =
            running
                .askPeer(peer, Queries.progressQuery())
                .orTimeout(ReplicationWatch.ANSWERED.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete(
                    (reply, error) -> {
                      asking.remove(peer);
                      if (error != null) {
                        failedAt.put(peer, System.nanoTime());
                        return;
                      }
                      failedAt.remove(peer);
                      try {
                        reports.put(
                            peer, new SelfReport(Queries.decodeProgress(reply), System.nanoTime()));
                      } catch (MalformedCommandException e) {
                        reports.remove(peer);
                      }
                    });
      } catch (RuntimeException e) {
        asking.remove(peer);
      }
    }

    @Override
    public void handOver(NodeId target, String why) {
      meters.replicationStalled(true);
      NodeRuntime.this.handOver(target, RoleChange.Reason.HEALTH);
    }

    @Override
    public void stallReported() {
      meters.replicationStalled(false);
    }
  }

  /** What the heartbeat sees of this node. */
  private final class HeartbeatHost implements Heartbeat.Host {
    @Override
    public boolean isPrimary() {
      return NodeRuntime.this.isPrimary();
    }

    @Override
    public java.util.List<NodeId> otherMembers() {
      return memberIds().stream().filter(p -> !p.equals(id)).toList();
    }

    @Override
    public Health healthOf(NodeId peer) {
      RatisEngine running = Objects.requireNonNull(engine);
      return Queries.decodeHealth(
          await(running.askPeer(peer, Queries.healthQuery()), "ask " + peer + " for its health"));
    }

    @Override
    public void handOverForHealth(NodeId target) {
      handOver(target, RoleChange.Reason.HEALTH);
    }

    @Override
    public void tickIfIdle() {
      GroupCommitter running = committer;
      // Journal an empty entry only when a session may be due to expire: an idle cluster then
      // writes nothing once its sessions are gone. The time read is a lower bound (the session
      // table files deadlines lazily), so one such entry may only re-file sessions that were
      // active since; the next then expires them.
      if (running != null && settings.clock().millis() > stateMachine.core().nextExpiryMillis()) {
        running.tickIfIdle(settings.healthInterval());
      }
    }
  }

  /**
   * Why node {@code id} became primary in {@code epoch}: the reason of a hand-over announced to it
   * in the epoch before; otherwise FAILOVER if an earlier epoch existed and the cluster had served
   * something (a command applied, a session opened), else START. A primary of an earlier epoch that
   * served nothing (members started seconds apart hold an election or two before all are up) leaves
   * nothing to fail over from.
   */
  static RoleChange.Reason promotionReason(
      NodeId id,
      long epoch,
      long priorEpoch,
      JournalEntry.@Nullable HandOver handOver,
      java.util.function.BooleanSupplier servedBefore) {
    if (handOver != null && handOver.target().equals(id) && epoch == handOver.epoch() + 1) {
      return handOver.reason();
    }
    return priorEpoch > 0 && servedBefore.getAsBoolean()
        ? RoleChange.Reason.FAILOVER
        : RoleChange.Reason.START;
  }

  /** The engine's events, turned into role changes. */
  private final class Hooks implements NodeHooks {

    @Override
    public void primaryReady(
        long epoch, long priorEpoch, JournalEntry.@Nullable HandOver handOver) {
      RoleChange.Reason reason =
          promotionReason(
              id,
              epoch,
              priorEpoch,
              handOver,
              () ->
                  stateMachine.read(
                      core ->
                          !core.lastPosition().equals(Position.ZERO)
                              || core.sessions().size() > 0
                              || core.sessions().tombstones() > 0));
      synchronized (roleLock) {
        // Raft may have demoted this node between its first entry of the term and now; the
        // demotion's own notice is then either already handled (so the check below fails) or
        // waits for this lock and demotes right after. Either way no stale PRIMARY remains.
        if (stopped || shuttingDown || !stateMachine.isLeaderIn(epoch)) {
          LOG.debug("{}: not promoted at epoch {}: no longer the leader of that epoch", id, epoch);
          return;
        }
        primaryEpoch = epoch;
        knownPrimary = id;
        if (roles.change(Role.PRIMARY, reason, epoch, appliedPosition())) {
          primaryReady = !stopped;
        }
        announcePrimaryNews();
      }
    }

    @Override
    public void primaryChanged(@Nullable NodeId primary, JournalEntry.@Nullable HandOver handOver) {
      synchronized (roleLock) {
        knownPrimary = primary;
        announcePrimaryNews();
        if (id.equals(primary)) {
          return;
        }
        primaryReady = false;
        stateMachine.decodedAtDoor().clear();
        if (roles.role() == Role.PRIMARY && !stopped && !shuttingDown) {
          // A hand-over this primary announced in its own epoch explains the step-down; anything
          // else is a deposition (another node was elected while this one was cut off or stalled).
          RoleChange.Reason reason =
              handOver != null && handOver.epoch() == primaryEpoch
                  ? handOver.reason()
                  : RoleChange.Reason.FAILOVER;
          roles.change(Role.BACKUP, reason, primaryEpoch, appliedPosition());
        }
      }
    }

    @Override
    public Optional<NodeId> fetchResync(
        long round, long journalIndex, List<NodeId> sources, Path into) {
      return NodeRuntime.this.fetchResync(round, journalIndex, sources, into);
    }

    @Override
    public void resynced(long journalIndex, @Nullable NodeId source, @Nullable String failure) {
      meters.resynced(failure == null);
      if (failure == null) {
        lastResync = "re-synchronised from " + source + " at journal index " + journalIndex;
        // The state is a fresh application instance: tell it its role, as after an install.
        rejoined();
      } else {
        lastResync = "re-sync at journal index " + journalIndex + " failed: " + failure;
        LOG.error(
            "{}: re-sync at journal index {} FAILED: {}; this member keeps its own state, which an"
                + " audit found different: re-synchronise it by hand (docs/operations.md,"
                + " 'Audits')",
            id,
            journalIndex,
            failure);
      }
    }

    @Override
    public void rejoined() {
      Optional.ofNullable(engine)
          .ifPresent(
              e ->
                  roles.change(Role.BACKUP, RoleChange.Reason.REJOIN, e.term(), appliedPosition()));
    }

    @Override
    public void failed(Throwable cause) {
      failStop(cause);
    }
  }
}
