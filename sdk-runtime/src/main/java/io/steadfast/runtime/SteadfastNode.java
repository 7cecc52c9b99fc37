package io.steadfast.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.internal.client.Routing;
import io.steadfast.runtime.security.NodeSecurity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One member of a Steadfast cluster: runs the application's replica, mirrors its journal through
 * Apache Ratis, takes checkpoints, and, while primary, accepts session requests.
 *
 * <p>Build with {@link #builder()}, then {@link #start()}. Thread-safe. {@link #close()} stops the
 * node gracefully (the application sees {@code END}); {@link #crash()} stops it as a killed process
 * would stop (no callback, no checkpoint, no hand-over).
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class SteadfastNode<C, R> implements AutoCloseable {

  private final NodeSettings<C, R> settings;
  private final NodeRuntime<C, R> runtime;

  SteadfastNode(NodeSettings<C, R> settings) {
    this.settings = settings;
    this.runtime = new NodeRuntime<>(settings);
  }

  /** A builder for a node. */
  public static <C, R> Builder<C, R> builder() {
    return new Builder<>();
  }

  /** The engine side of this node (routing, the cluster and tests of this package use it). */
  NodeRuntime<C, R> runtime() {
    return runtime;
  }

  /** This node's id. */
  public NodeId id() {
    return settings.id();
  }

  /** This node's address. */
  public InetSocketAddress address() {
    return Objects.requireNonNull(settings.peers().get(settings.id()), "own address");
  }

  /** Whether this node was stopped or crashed. */
  public boolean stopped() {
    return runtime.stopped();
  }

  /** This node's current role. */
  public Role role() {
    return runtime.role();
  }

  /** Whether this node is the primary and ready to accept requests. */
  public boolean isPrimary() {
    return runtime.isPrimary();
  }

  /**
   * Whether this node is ready: the primary, or a backup that knows the primary and has applied all
   * but a few of the entries it knows committed. What {@code GET /steadfast/v1/health/ready}
   * answers.
   */
  public boolean isReady() {
    return runtime.isReady();
  }

  /** Adds a listener told of every role change after the application; on the role thread. */
  public void addRoleListener(Consumer<RoleChange> listener) {
    runtime.addRoleListener(listener);
  }

  /**
   * Starts the node: checks its newest checkpoint (a refused one is set aside and a good one is
   * fetched from the primary), starts the engine, and becomes a backup.
   *
   * @throws ConfigurationException if the storage cannot be used
   * @throws IllegalStateException if the node was started before
   */
  public SteadfastNode<C, R> start() {
    runtime.start();
    return this;
  }

  /**
   * Opens a session for {@code principal} on this node, which must be the primary (a web tier
   * co-located with its node). Requests go to this node while it is primary. Once it stops or steps
   * down, they go on through the rest of the cluster when this node knows how to reach it (a node
   * of an {@link EmbeddedCluster}, or one built with {@link Builder#peerEndpoint}), so a request
   * whose outcome was unknown is settled there by {@link Session#retry()}; otherwise they fail as
   * this node does.
   *
   * @throws NotPrimaryException if this node is not the primary (nothing was journaled)
   */
  public Session<C, R> openSession(Principal principal) {
    return new SteadfastClient<>(
            settings.codec(),
            new Routing.Fixed<>(runtime, runtime::fallback),
            settings.requestDeadline())
        .openSession(principal);
  }

  /**
   * Moves the primary role to {@code target} (a planned switchover): announces the hand-over in the
   * journal, then asks the engine to transfer leadership, and waits until it has.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if {@code target} is not a member
   */
  public void switchoverTo(NodeId target) {
    runtime.switchoverTo(target);
  }

  /**
   * The cluster's members as this node knows them: the newest configuration its journal holds, in
   * id order. During a membership change both the old and the new members are listed.
   */
  public java.util.List<Member> members() {
    return runtime.configuration();
  }

  /**
   * Adds {@code member} to the running cluster; call on the primary. The member must already run,
   * started with {@link Builder#joining()}. It first receives the newest checkpoint and the journal
   * after it without a vote; then the new configuration is committed through Raft's joint
   * consensus, and this call returns. Sessions are served throughout. The change is journaled, so
   * every member, restarted ones included, knows it; remote clients learn the new member from the
   * next member they ask.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if a member of that id exists, a change is already under way, or
   *     the endpoint's scheme is not the cluster's ({@code https} with TLS, else {@code http})
   * @throws io.steadfast.api.SteadfastException if the change failed, for example because the new
   *     member did not answer within the staging timeout (three election timeouts, at least 10 s);
   *     the configuration is then the old one
   */
  public void addMember(Member member) {
    runtime.addMember(member);
  }

  /**
   * Removes {@code member} from the running cluster through joint consensus; call on the primary.
   * The primary cannot remove itself: switch over first. Stop the removed member afterwards (it no
   * longer votes or receives the journal) and remove it from the other members' configuration files
   * at leisure: their journal's configuration takes precedence over the files.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if {@code member} is not a member, is this primary or is the
   *     last member, or a change is already under way
   * @throws io.steadfast.api.SteadfastException if the change failed; the configuration is then the
   *     old one
   */
  public void removeMember(NodeId member) {
    runtime.removeMember(member);
  }

  /**
   * Replaces {@code old} by {@code replacement} in one change, the way to recover the cluster's
   * full strength after losing a member's host: the replacement (started with {@link
   * Builder#joining()}) catches up first, then the configuration without {@code old} and with
   * {@code replacement} is committed. With {@code old} down, the remaining members still form a
   * majority of both the old and the new configuration, so the change completes.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException as {@link #addMember} and {@link #removeMember}
   * @throws io.steadfast.api.SteadfastException if the change failed; the configuration is then the
   *     old one
   */
  public void replaceMember(NodeId old, Member replacement) {
    runtime.replaceMember(old, replacement);
  }

  /**
   * Adds a disaster-recovery replica, typically at another site; call on the primary. The replica
   * (started with {@link Builder#joining()}) receives the newest checkpoint and then every journal
   * entry, as a Raft listener: it never votes and is never elected, so a slow link to it never
   * slows the cluster, and the cluster's majority is unchanged. Its lag shows in the primary's
   * status, in its field of replicas. Remove it with {@link #removeMember}. When the primary site
   * is lost, promote it with {@link #requestPromotion}.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException if it is a member or replica already, or its endpoint's scheme
   *     does not match the members'
   * @throws io.steadfast.api.SteadfastException if the change failed; the configuration is then the
   *     old one
   */
  public void addReplica(Member replica) {
    runtime.addReplica(replica);
  }

  /** Whether this node is a disaster-recovery replica in the configuration in force. */
  public boolean isReplica() {
    return runtime.isReplica();
  }

  /**
   * Promotes this disaster-recovery replica after the primary site is lost; call on the replica.
   * Refused while the primary still sends it entries or any member answers as primary (a promotion
   * then would make a second primary). Otherwise it records the request in its storage and stops;
   * when started again (by its supervisor, or {@link EmbeddedCluster#restart}) it appends a
   * configuration naming itself the only voting member to its own journal, elects itself and
   * serves, with every entry it had received. What the lost primary committed after the last entry
   * the replica received is lost; the replica's lag before the loss says how much. Add members to
   * it afterwards; the former members must never start again with their old storage.
   *
   * @param confirm this replica's own id, to confirm that the operator means this node
   * @return what happens next, in words for the operator
   * @throws ConfigurationException if {@code confirm} is another id, this node is not a replica, or
   *     the primary site is up
   */
  public String requestPromotion(NodeId confirm) {
    return runtime.requestPromotion(confirm);
  }

  /**
   * Audits the replicas now; call on the primary. Journals an audit entry, has every member
   * fingerprint its state just after it, and compares each member's fingerprints with this
   * primary's, waiting up to the request deadline for members to apply the entry and answer. A
   * member that differs is logged as an error naming the part that differs and counted. The members
   * that differ are re-synchronised only when the node was built with {@link
   * Builder#resyncDiffering(boolean)}; see {@link #auditReplicas(boolean)}.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws io.steadfast.api.SteadfastException if the audit entry could not be journaled
   */
  public ReplicaAudit auditReplicas() {
    return runtime.auditReplicas(runtime.resyncDiffering());
  }

  /**
   * Audits the replicas now, as {@link #auditReplicas()} does, and with {@code resync} also
   * re-synchronises the members whose state differs from the state a majority of the members hold:
   * the primary journals a re-sync entry; each member of the majority keeps a copy of its state as
   * it stands after that entry, and each member that differs fetches such a copy, replaces its own
   * state with it and continues applying the journal from there (its journal is not touched). The
   * targets are listed in {@link ReplicaAudit#resyncing()}; each logs the outcome, counts it in
   * {@code steadfast.resyncs} and shows it in its status ({@code lastResync}). When no majority
   * shares one state nothing is changed; when this primary is the member that differs, it hands
   * over to a member of the majority instead, whose next audit re-synchronises it.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws io.steadfast.api.SteadfastException if an entry could not be journaled
   */
  public ReplicaAudit auditReplicas(boolean resync) {
    return runtime.auditReplicas(resync);
  }

  /**
   * Finalizes a rolling upgrade of the application; call on the primary. Asks every member which
   * application version its code supports ({@link
   * io.steadfast.api.ResilientApplication#supportedVersion()}) and, when all support {@code
   * version}, journals the new active version: from that entry on every replica applies with {@link
   * io.steadfast.api.ApplyContext#activeVersion()} = {@code version}, and command types marked
   * {@link io.steadfast.api.Since} that version are accepted. The active version never goes down;
   * asking for one not above it changes nothing.
   *
   * @return the active version now
   * @throws NotPrimaryException if this node is not the primary
   * @throws ConfigurationException naming each member whose code does not support {@code version}
   *     (or that did not answer); nothing is journaled then
   */
  public int finalizeVersion(int version) {
    return runtime.finalizeVersion(version);
  }

  /** This node's status. */
  public NodeStatus status() {
    return runtime.status();
  }

  /**
   * The audit view of this replica: its state's fingerprint and read-only access to its application
   * instance, for audits, certification and tests. Not for hot paths.
   */
  public NodeAudit<C, R> audit() {
    return new NodeAudit<>(settings.id(), runtime.stateMachine());
  }

  /** The position of the last command applied on this node. */
  public Position appliedPosition() {
    return runtime.appliedPosition();
  }

  /**
   * Answers a read-only request from the application's {@code query}, linearizably (confirmed with
   * a majority first). Must be called on the primary.
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws io.steadfast.api.CommandRejectedException if the application's query threw
   */
  public R query(Principal principal, C request) {
    return runtime.query(principal, request);
  }

  /**
   * Stops the node as a killed process would: no role callback, no checkpoint, no hand-over, no
   * goodbye to peers. Its storage stays as it is for a later restart.
   */
  public void crash() {
    runtime.crash();
  }

  /** Stops the node gracefully; the application is told {@code END}. Idempotent. */
  @Override
  public void close() {
    runtime.close();
  }

  /**
   * Builds a {@link SteadfastNode}. Every setter validates its argument at once; {@link #build()}
   * checks that the required ones were given.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder<C, R> {
    private @Nullable NodeId id;
    private String cluster = "steadfast";
    private final Map<NodeId, InetSocketAddress> peers = new TreeMap<>();
    private @Nullable Path storage;
    private NodeOptions<C, R> options = NodeOptions.defaults();
    private @Nullable InetSocketAddress http;
    private final Map<NodeId, java.net.URI> peerEndpoints = new TreeMap<>();
    private NodeSecurity security = NodeSecurity.loopback();
    private boolean joining;

    private Builder() {}

    /**
     * Starts this node as a new member of a cluster that already runs: its storage must be empty,
     * the {@link #peer peers} name the running members (and this node, for its own address), and it
     * waits outside the configuration, neither voting nor standing for election, until the primary
     * adds it with {@link SteadfastNode#addMember}. It then receives the newest checkpoint and the
     * journal after it before it votes. On a later restart the journaled configuration applies and
     * this setting changes nothing. Default off.
     */
    public Builder<C, R> joining() {
      this.joining = true;
      return this;
    }

    /** Takes every option from {@code given} (the embedded cluster's). */
    Builder<C, R> options(NodeOptions<C, R> given) {
      this.options = Objects.requireNonNull(given, "options");
      return this;
    }

    /** Another member's endpoint ({@code https://host:port} with TLS, else {@code http://}). */
    public Builder<C, R> peerEndpoint(NodeId peer, java.net.URI endpoint) {
      peerEndpoints.put(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(endpoint));
      return this;
    }

    /** TLS, authentication and input bounds; default {@link NodeSecurity#loopback()}. */
    public Builder<C, R> security(NodeSecurity value) {
      this.security = Objects.requireNonNull(value, "security");
      return this;
    }

    /** Serve remote clients and load-balancer checks over HTTP at {@code address}; else off. */
    public Builder<C, R> http(InetSocketAddress address) {
      Objects.requireNonNull(address, "http");
      if (address.getPort() <= 0 || address.getPort() > 65535) {
        throw new ConfigurationException("http", "port out of range: " + address);
      }
      this.http = address;
      return this;
    }

    /**
     * How often the application's health is probed, and how many probes in a row must find a
     * primary {@code DOWN} before it hands over to a healthy backup. Default every 1 s, 3 probes.
     * When a session is due to expire and nothing else is journaled, the primary journals an empty
     * entry at this interval so that it expires.
     */
    public Builder<C, R> healthProbe(Duration interval, int probesBeforeHandOver) {
      options = options.withHealthProbe(interval, probesBeforeHandOver);
      return this;
    }

    /** This node's id. Required. */
    public Builder<C, R> id(NodeId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The cluster's name; every member must use the same. Default {@code steadfast}. */
    public Builder<C, R> cluster(String name) {
      if (name == null || name.isBlank()) {
        throw new ConfigurationException("cluster", "name must not be blank: '" + name + "'");
      }
      this.cluster = name;
      return this;
    }

    /** A member (this node included) and its address. At least this node is required. */
    public Builder<C, R> peer(NodeId peer, InetSocketAddress address) {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(address, "address");
      if (address.getPort() <= 0 || address.getPort() > 65535) {
        throw new ConfigurationException("peer", "port of " + peer + " out of range: " + address);
      }
      peers.put(peer, address);
      return this;
    }

    /** Where this node keeps its journal and checkpoints. Required. */
    public Builder<C, R> storage(Path directory) {
      this.storage = Objects.requireNonNull(directory, "storage");
      return this;
    }

    /** Makes a fresh application instance; called once at build and once per restore. Required. */
    public Builder<C, R> application(Supplier<ResilientApplication<C, R>> factory) {
      options = options.withApplication(factory);
      return this;
    }

    /** Encodes commands and results. Required. */
    public Builder<C, R> codec(CommandCodec<C, R> codec) {
      options = options.withCodec(codec);
      return this;
    }

    /**
     * The randomized election timeout: how long backups wait without hearing from the primary
     * before electing a new one. Default 150–300 ms.
     */
    public Builder<C, R> electionTimeout(Duration min, Duration max) {
      options = options.withElectionTimeout(min, max);
      return this;
    }

    /** How long a caller waits for one request before giving up. Default 10 s. */
    public Builder<C, R> requestDeadline(Duration deadline) {
      options = options.withRequestDeadline(deadline);
      return this;
    }

    /**
     * Commands between automatic checkpoints, at least. Default 20,000. A journal entry without
     * commands (a hand-over, a tick) counts as one. The checkpoint is written in the background
     * when the application supports {@link ResilientApplication#freeze()}. The members of a cluster
     * take theirs apart: member k of n (by sorted id) takes its first one k/n of the interval
     * early, so that they do not all write at once. A large state also waits for {@link
     * #checkpointJournalRatio}.
     */
    public Builder<C, R> checkpointEvery(long commands) {
      options = options.withCheckpointEvery(commands);
      return this;
    }

    /**
     * How much journal an automatic checkpoint also waits for, as a multiple of the last
     * checkpoint's size in bytes. Default 1: the next checkpoint is written once {@link
     * #checkpointEvery} commands have been applied <em>and</em> the journal entries applied since
     * the last checkpoint add up to at least its size. Writing a checkpoint rewrites the whole
     * state, so with a count alone its cost per command grows with the state (a growing loan book
     * spent more CPU writing checkpoints than applying commands); with the ratio, the bytes written
     * for checkpoints stay about the bytes journaled. A node that restarts replays at most about
     * {@code max(checkpointEvery commands, ratio x checkpoint size)} of its own journal before it
     * catches up; the journal on disk reaches back to the checkpoint before the newest, about twice
     * that. 0 checkpoints every {@code checkpointEvery} commands whatever the size; at most 1,000.
     *
     * @throws ConfigurationException if {@code ratio} is negative, above 1,000 or not a number
     */
    public Builder<C, R> checkpointJournalRatio(double ratio) {
      options = options.withCheckpointJournalRatio(ratio);
      return this;
    }

    /** Journal segment size; the journal is purged after a checkpoint by whole segments. */
    public Builder<C, R> segmentSize(long bytes) {
      options = options.withSegmentSize(bytes);
      return this;
    }

    /**
     * Group commit limits: at most {@code maxRequests} requests and {@code maxBytes} per journal
     * entry, {@code inFlight} entries in flight at once. Default 256, 1 MiB, 2.
     */
    public Builder<C, R> groupCommit(int maxRequests, int maxBytes, int inFlight) {
      options = options.withGroupCommit(maxRequests, maxBytes, inFlight);
      return this;
    }

    /**
     * Permits a command type with no {@code @RolesAllowed}, {@code @PermitAll} or {@code @DenyAll}
     * to every session, for commands that are not the application's own types ({@code byte[]},
     * {@code String}). Default: refused (authorization fails closed).
     */
    public Builder<C, R> permitUnannotatedCommands() {
      options = options.withUnannotatedCommandsPermitted();
      return this;
    }

    /** The clock the primary stamps batches with (leader time). Default UTC system clock. */
    public Builder<C, R> clock(Clock clock) {
      options = options.withClock(clock);
      return this;
    }

    /**
     * Where the node records its meters (Micrometer): requests per journal entry, commit latency,
     * the duration of every exit-point call, checkpoint write times and sizes, primary changes and
     * hand-overs, all tagged with the node's id. Default none: nothing is recorded. Recording never
     * touches the apply path's results; it costs well under a microsecond a command.
     */
    public Builder<C, R> meterRegistry(MeterRegistry registry) {
      options = options.withMeterRegistry(registry);
      return this;
    }

    /**
     * How long a node that had to repair its storage at start (journal entries cut at the first
     * damage, or its vote record rewritten) waits for a primary to answer before refusing to start
     * with {@link StorageRepairException}: it joins only once a member is known that holds every
     * committed entry. Default 30 s.
     */
    public Builder<C, R> repairWait(Duration wait) {
      options = options.withRepairWait(wait);
      return this;
    }

    /**
     * How often the primary audits the replicas ({@link SteadfastNode#auditReplicas()}): it
     * journals an audit entry, every member fingerprints its state there, and the primary compares.
     * A member that differs is logged as an error naming the part that differs, counted in {@code
     * steadfast.audit.differences}, and shown in the status ({@code lastAudit}). Costs each member
     * one in-memory checkpoint per audit (on the checkpoint thread when the application freezes its
     * state). Default 10 minutes; {@link Duration#ZERO} turns it off.
     */
    public Builder<C, R> auditEvery(Duration interval) {
      options = options.withAuditEvery(interval);
      return this;
    }

    /**
     * Whether audits this node runs as primary (the periodic ones and {@link
     * SteadfastNode#auditReplicas()}) also re-synchronise the members whose state differs from the
     * majority's (see {@link SteadfastNode#auditReplicas(boolean)}). Default false: a difference is
     * reported and left for the operator, who may want the drifted state for a post-mortem.
     */
    public Builder<C, R> resyncDiffering(boolean resync) {
      options = options.withResyncDiffering(resync);
      return this;
    }

    /**
     * How often the running node re-reads its closed journal segments and published checkpoints, on
     * one low-priority thread, to find damage the disk did after they were written. A damaged
     * checkpoint is set aside and a fresh one taken; damage in the journal stops the node (its next
     * start cuts the journal and refetches, see {@link #repairWait}). Listed in {@link
     * NodeStatus#storageRepairs()}. Default 10 minutes; {@link Duration#ZERO} turns it off.
     */
    public Builder<C, R> verifyStorageEvery(Duration interval) {
      options = options.withStorageVerifiedEvery(interval);
      return this;
    }

    /**
     * Whether a backup that stops hearing from the primary checks if the primary's process is gone
     * and, if so, starts an election at once instead of waiting out the election timeout. The check
     * is a TCP connection to the primary's journal port once the primary has been silent for two
     * thirds of the shortest election timeout, or at once when a connection to this member's own
     * journal port ends (a dying process drops its connections); only a refused connection counts
     * (a frozen or slow process still accepts connections, an unreachable host times out: both are
     * left to the election timeout). Turn it off where something between members answers for an
     * absent process (a proxy or NAT on the journal port). Default on.
     */
    public Builder<C, R> deadPrimaryProbe(boolean enabled) {
      options = options.withDeadPrimaryProbe(enabled);
      return this;
    }

    /**
     * Lets a node whose journal was cut at start join without a primary to fetch the cut entries
     * from: for a node that held the only copy (a one-member cluster, or the last member left),
     * whose operator accepts that acknowledged commands after the cut are lost. Logged as a warning
     * at that start. Default off.
     */
    public Builder<C, R> acceptJournalLoss() {
      options = options.withJournalLossAccepted();
      return this;
    }

    /**
     * Checks the settings and creates the node (not started).
     *
     * @throws ConfigurationException naming the first missing or inconsistent setting
     */
    public SteadfastNode<C, R> build() {
      return new SteadfastNode<>(
          NodeSettings.checked(
              id, cluster, peers, storage, options, http, peerEndpoints, security, joining));
    }
  }
}
