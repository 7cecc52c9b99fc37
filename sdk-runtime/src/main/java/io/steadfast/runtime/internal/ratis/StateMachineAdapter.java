package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.checkpoint.StreamCheckpointReader;
import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import io.steadfast.runtime.internal.apply.DecodedAtDoor;
import io.steadfast.runtime.internal.apply.ReplicatedCore;
import io.steadfast.runtime.internal.audit.Fingerprints;
import io.steadfast.runtime.internal.audit.ResyncCopies;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.checkpoint.CheckpointHeader;
import io.steadfast.runtime.internal.journal.Authorizer;
import io.steadfast.runtime.internal.journal.ExitPointClock;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.internal.observe.NodeThreads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of one node: applies committed log entries through the {@link
 * ReplicatedCore}, writes checkpoints as Raft snapshots in the runtime's framing, restores them on
 * start and after a snapshot install, and forwards leadership events to the node.
 *
 * <p>Apply and restore hold the state's write lock; queries hold its read lock. Checkpoints are
 * begun on the apply thread every {@code checkpointEvery} commands: the runtime state is serialized
 * there and the application either hands over a {@link FrozenState}, written on this node's
 * checkpoint thread while apply goes on, or writes synchronously. A finished checkpoint is
 * published to Ratis through a snapshot request, which makes Ratis purge the journal up to the
 * checkpoint before it.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class StateMachineAdapter<C, R> extends BaseStateMachine {

  private static final Logger LOG = LoggerFactory.getLogger(StateMachineAdapter.class);

  private final NodeId nodeId;
  private final Supplier<ResilientApplication<C, R>> applications;
  private final CommandCodec<C, R> codec;
  private final NodeHooks hooks;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  /**
   * The newest checkpoint, as this adapter last set it in {@link #storage}. Ratis asks for it on
   * every append; asking the storage instead lets it list the folder while none is known, and if a
   * checkpoint is published during that listing the storage fails with a NullPointerException (seen
   * on a restarted backup's first appends).
   */
  private volatile @Nullable SingleFileSnapshotInfo newestCheckpoint;

  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
  private final ExitPointClock checkpointClock;
  private final ExitPointClock restoreClock;

  private final long checkpointEvery;
  private final ClientId adminClient = ClientId.randomId();
  private final AtomicLong adminCalls = new AtomicLong();
  private final AtomicLong poisonEntries = new AtomicLong();
  private final Fingerprints fingerprints = new Fingerprints();
  private final ResyncCopies resyncCopies = new ResyncCopies();

  /** This member's group folder ({@code current}, {@code sm}, {@code resync}); set at start. */
  private volatile @Nullable Path groupDirectory;

  private volatile ReplicatedCore<C, R> core;
  private volatile long lastCheckpointIndex = -1;

  /** The checkpoint before the newest one: Ratis may purge the journal up to here, not further. */
  private volatile long previousCheckpointIndex = -1;

  private volatile boolean started;
  private volatile boolean closing;

  /** Set when apply failed in a way that stops this node: nothing more is applied or written. */
  private volatile boolean failStopped;

  /** Commands (entries without commands count one) applied since the last checkpoint began. */
  private long sinceCheckpoint;

  /**
   * Bytes of journal entries applied since the last checkpoint began; written on the apply thread
   * (once per entry), read by the metrics.
   */
  private volatile long journalSinceCheckpoint;

  /**
   * The size of the newest checkpoint this node wrote or restored, in bytes; 0 before any. Written
   * by the checkpoint thread, read on the apply thread.
   */
  private volatile long checkpointBytes;

  private final double journalRatio;

  /** This member's share of an interval its first checkpoint comes early (0 to under 1). */
  private double staggerShare;

  /** The background write of the last checkpoint begun; done when none is under way. */
  private volatile CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);

  private @Nullable ExecutorService checkpointThread;
  private final Authorizer authorizer;
  private final DecodedAtDoor decodedAtDoor = new DecodedAtDoor();
  private final NodeMeters meters;
  private volatile boolean checkpointRequested;
  private volatile Function<byte[], byte[]> peerHandler =
      request -> {
        throw new IllegalStateException("no peer handler");
      };
  private volatile Function<byte[], byte[]> queryHandler =
      request -> {
        throw new IllegalStateException("no query handler");
      };

  /**
   * @param nodeId this node
   * @param applications makes a fresh application instance (one now, one per restore)
   * @param codec the command codec
   * @param hooks where engine events go
   * @param checkpointEvery commands between automatic checkpoints (an entry without commands counts
   *     one)
   * @param journalRatio how many times the last checkpoint's size in journal bytes must also have
   *     been applied before the next automatic checkpoint (0: the count alone decides)
   * @param authorizer the rules every core of this node enforces
   * @param meters where exit-point durations and checkpoint writes are recorded
   */
  public StateMachineAdapter(
      NodeId nodeId,
      Supplier<ResilientApplication<C, R>> applications,
      CommandCodec<C, R> codec,
      NodeHooks hooks,
      long checkpointEvery,
      double journalRatio,
      Authorizer authorizer,
      NodeMeters meters) {
    this.meters = meters;
    this.authorizer = authorizer;
    this.nodeId = nodeId;
    this.checkpointEvery = checkpointEvery;
    this.journalRatio = journalRatio;
    meters.journalSinceCheckpoint(() -> journalSinceCheckpoint);
    this.applications = applications;
    this.codec = codec;
    this.hooks = hooks;
    this.core = new ReplicatedCore<>(applications.get(), codec, authorizer, meters, decodedAtDoor);
    this.checkpointClock =
        new ExitPointClock(
            "checkpoint",
            core.application().budgets().checkpoint(),
            meters.exitPoint("checkpoint"));
    this.restoreClock =
        new ExitPointClock(
            "restore", core.application().budgets().restore(), meters.exitPoint("restore"));
  }

  /** The current core (replaced when a checkpoint is restored). */
  public ReplicatedCore<C, R> core() {
    return core;
  }

  /**
   * Whether the next automatic checkpoint is due: {@code checkpointEvery} commands applied since
   * the last one, and journal entries of at least {@code journalRatio} times its size. Rewriting
   * the whole state costs in proportion to its size; waiting for as many journal bytes keeps that
   * cost per command about that of journaling the command, however large the state grows.
   */
  private boolean checkpointDue() {
    return sinceCheckpoint >= checkpointEvery
        && journalSinceCheckpoint >= journalRatio * checkpointBytes;
  }

  /**
   * Spreads the members' automatic checkpoints: member {@code rank} of {@code members} takes its
   * first one {@code rank / members} of the interval early, and every {@code checkpointEvery}
   * commands after that, so the members of one cluster write a third of an interval apart instead
   * of all at once. Where they share a machine (or a disk), writes at the same moment made single
   * commands wait several times longer (docs/performance.md, "Checkpoints against state size").
   * Only when a checkpoint is taken changes, never what it holds: it is local to this member, like
   * the time a checkpoint takes. Call before the node starts.
   */
  public void staggerCheckpoints(int rank, int members) {
    if (members > 1 && rank > 0 && rank < members) {
      sinceCheckpoint = checkpointEvery / members * rank;
      staggerShare = (double) rank / members;
    }
  }

  /**
   * Asks for a checkpoint at the next applied entry, whatever the count since the last one (an
   * operator's "checkpoint now"). A checkpoint already being written is finished first.
   */
  public void requestCheckpoint() {
    checkpointRequested = true;
  }

  /** Exit-point measurements of checkpoint. */
  public ExitPointClock checkpointClock() {
    return checkpointClock;
  }

  /** Exit-point measurements of restore. */
  public ExitPointClock restoreClock() {
    return restoreClock;
  }

  /** The journal index of the newest checkpoint written or restored, or -1. */
  public long lastCheckpointIndex() {
    return lastCheckpointIndex;
  }

  /**
   * Whether this node is, right now, the engine's leader in term {@code epoch}: false once Raft
   * demoted it or moved to a later term, even if the node has not been told yet.
   */
  public boolean isLeaderIn(long epoch) {
    RaftServer server = getServer().getNow(null);
    if (server == null) {
      return false;
    }
    try {
      var info = server.getDivision(getGroupId()).getInfo();
      return info.isLeader() && info.getCurrentTerm() == epoch;
    } catch (IOException e) {
      return false;
    }
  }

  /** Journal entries skipped since start because they were not runtime entries. */
  public long poisonEntries() {
    return poisonEntries.get();
  }

  /** The journal index of the last applied entry, or -1. */
  public long lastAppliedIndex() {
    TermIndex applied = getLastAppliedTermIndex();
    return applied == null ? -1 : applied.getIndex();
  }

  /** Runs {@code reader} against the current state under the read lock (queries). */
  public <T extends @Nullable Object> T read(Function<ReplicatedCore<C, R>, T> reader) {
    stateLock.readLock().lock();
    try {
      return reader.apply(core);
    } finally {
      stateLock.readLock().unlock();
    }
  }

  /** Sets what answers read requests; called with the read lock held. */
  public void setQueryHandler(Function<byte[], byte[]> handler) {
    this.queryHandler = handler;
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    stateLock.readLock().lock();
    try {
      byte[] reply = queryHandler.apply(request.getContent().toByteArray());
      return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      stateLock.readLock().unlock();
    }
  }

  /**
   * Sets what answers direct questions from peers (stale reads). Called without any lock, so that a
   * long apply or checkpoint never delays it; the handler must not touch replicated state.
   */
  public void setPeerHandler(Function<byte[], byte[]> handler) {
    this.peerHandler = handler;
  }

  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    try {
      byte[] reply = peerHandler.apply(request.getContent().toByteArray());
      return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    Path group = raftStorage.getStorageDir().getRoot().toPath();
    groupDirectory = group;
    // Copies kept for re-syncs before a restart are not served again.
    deleteResyncFolder(group.resolve(RESYNC_FOLDER));
    LifeCycle lifeCycle = getLifeCycle();
    lifeCycle.transition(LifeCycle.State.STARTING);
    loadLatestCheckpoint();
    lifeCycle.transition(LifeCycle.State.RUNNING);
    started = true;
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /** The newest checkpoint file this node holds, if any (served to peers that need one). */
  public java.util.Optional<Path> newestCheckpointFile() {
    SingleFileSnapshotInfo newest = newestCheckpoint;
    return newest == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(newest.getFile().getPath());
  }

  @Override
  public @Nullable SingleFileSnapshotInfo getLatestSnapshot() {
    return newestCheckpoint;
  }

  @Override
  public void pause() {
    // A checkpoint being written must not be published over the one about to be installed.
    awaitWriting();
    // Ratis expects the state machine itself to move through PAUSING to PAUSED before it installs a
    // snapshot; BaseStateMachine does not, and the install then never completes.
    LifeCycle lifeCycle = getLifeCycle();
    if (lifeCycle.getCurrentState() == LifeCycle.State.RUNNING) {
      lifeCycle.transition(LifeCycle.State.PAUSING);
      lifeCycle.transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    LifeCycle lifeCycle = getLifeCycle();
    lifeCycle.transition(LifeCycle.State.STARTING);
    try {
      loadLatestCheckpoint();
    } catch (IOException | RuntimeException e) {
      // A checkpoint received from the primary that cannot be restored leaves this replica without
      // a state it can trust: stop, rather than continue from the old one.
      hooks.failed(e);
      throw e;
    }
    lifeCycle.transition(LifeCycle.State.RUNNING);
    if (started) {
      hooks.rejoined();
    }
  }

  private void loadLatestCheckpoint() throws IOException {
    // Before Ratis runs (initialize) or while it waits for the install (reinitialize): nothing
    // publishes a checkpoint meanwhile.
    SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
    if (latest == null) {
      return;
    }
    Path file = latest.getFile().getPath();
    ReplicatedCore<C, R> restored = restore(file);
    int supported = restored.application().supportedVersion();
    if (restored.activeVersion() > supported) {
      throw new IllegalStateException(
          "checkpoint "
              + file.getFileName()
              + " was taken at application version "
              + restored.activeVersion()
              + ", but this member's code supports only version "
              + supported
              + "; start it with code that supports version "
              + restored.activeVersion());
    }
    stateLock.writeLock().lock();
    try {
      core = restored;
      newestCheckpoint = latest;
      setLastAppliedTermIndex(latest.getTermIndex());
      lastCheckpointIndex = latest.getIndex();
      previousCheckpointIndex = latest.getIndex();
      checkpointBytes = java.nio.file.Files.size(file);
      // The first checkpoint after a restore waits for less journal on the members the stagger
      // moves early, as their count does.
      journalSinceCheckpoint = (long) (journalRatio * checkpointBytes * staggerShare);
    } finally {
      stateLock.writeLock().unlock();
    }
    LOG.info(
        "{}: restored checkpoint {} at position {}",
        nodeId,
        file.getFileName(),
        restored.lastPosition());
  }

  /**
   * Verifies a checkpoint and restores it into a fresh application instance, leaving the running
   * state untouched if anything fails.
   *
   * @throws CheckpointException if the file fails its checks or the application cannot read it
   */
  ReplicatedCore<C, R> restore(Path file) throws IOException {
    ResilientApplication<C, R> application = applications.get();
    ReplicatedCore<C, R> fresh =
        new ReplicatedCore<>(application, codec, authorizer, meters, decodedAtDoor);
    long started = System.nanoTime();
    try (CheckpointFile.Opened opened =
        CheckpointFile.open(file, application.checkpointVersion())) {
      CheckpointHeader header = opened.header();
      fresh.readState(
          new DataInputStream(new ByteArrayInputStream(opened.runtimeState())),
          header.formatVersion());
      try {
        application.restore(
            new StreamCheckpointReader(
                opened.payload(), header.applicationVersion(), header.position()));
      } catch (IOException | RuntimeException e) {
        throw new CheckpointException(
            CheckpointException.Problem.UNREADABLE,
            file.getFileName().toString(),
            "application restore failed: " + e.getMessage(),
            e);
      }
    } finally {
      if (restoreClock.record(System.nanoTime() - started)) {
        LOG.warn("{}: restore overran its budget of {}", nodeId, restoreClock.budget());
      }
    }
    return fresh;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    NodeThreads.tag(nodeId.value());
    if (failStopped) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(nodeId + " is stopping after a failure"));
    }
    ByteString logData = entry.getStateMachineLogEntry().getLogData();
    JournalEntry journalEntry;
    try {
      journalEntry = WireFormat.decode(logData.toByteArray());
    } catch (IOException | RuntimeException e) {
      // Not an entry this runtime writes (a foreign client on the engine's port, or a runtime of
      // another version). Every replica sees the same bytes and skips them the same way, so the
      // replicas stay equal and none stops; the entry changes nothing and is counted.
      poisonEntries.incrementAndGet();
      LOG.error(
          "{}: journal entry at index {} is not a runtime entry and was skipped: {}",
          nodeId,
          entry.getIndex(),
          e.toString());
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    List<Outcome> outcomes;
    stateLock.writeLock().lock();
    try {
      outcomes = core.apply(journalEntry, entry.getTerm());
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      if (journalEntry instanceof JournalEntry.Audit audit) {
        fingerprint(audit.round(), entry.getIndex());
      }
      if (journalEntry instanceof JournalEntry.Finalize finalize
          && finalize.version() > core.application().supportedVersion()) {
        // Finalized while this member was down, or its code was downgraded since: it cannot apply
        // what follows as the others do. Stop rather than diverge; newer code restarts it.
        IllegalStateException cannot =
            new IllegalStateException(
                "the cluster finalized application version "
                    + finalize.version()
                    + " at journal index "
                    + entry.getIndex()
                    + ", but this member's code supports only version "
                    + core.application().supportedVersion()
                    + "; start it with code that supports version "
                    + finalize.version());
        failStopped = true;
        hooks.failed(cannot);
        return CompletableFuture.failedFuture(cannot);
      }
    } catch (RuntimeException | Error e) {
      // Application and codec failures are outcomes inside the core; what gets here is not the
      // entry's fault (out of memory) and may differ between replicas: fail-stop this node only.
      // The failed future tells Ratis the entry was not applied; the node is stopping, and nothing
      // more is applied or checkpointed from this state in the meantime.
      failStopped = true;
      hooks.failed(e);
      return CompletableFuture.failedFuture(e);
    } finally {
      stateLock.writeLock().unlock();
    }
    if (journalEntry instanceof JournalEntry.Resync resync) {
      TermIndex at = TermIndex.valueOf(entry.getTerm(), entry.getIndex());
      if (resync.targets().contains(nodeId)) {
        resyncFrom(resync, at);
      } else if (resync.sources().contains(nodeId)) {
        keepCopyFor(resync, at);
      }
    }
    sinceCheckpoint +=
        journalEntry instanceof JournalEntry.Batch batch ? Math.max(1, batch.requests().size()) : 1;
    long journalSince = journalSinceCheckpoint + logData.size();
    journalSinceCheckpoint = journalSince; // only this thread writes it
    if ((checkpointDue() || checkpointRequested) && writing.isDone() && !closing && !failStopped) {
      startCheckpoint(TermIndex.valueOf(entry.getTerm(), entry.getIndex()));
    }
    if (trx.getServerRole() != org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER) {
      // Only the leader answers the submitter; backups keep the outcomes in their session tables
      // and need not encode them.
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(WireFormat.encodeOutcomes(outcomes))));
  }

  /**
   * The commands this node's door decoded, for its own apply (every core of the node shares it).
   */
  public DecodedAtDoor decodedAtDoor() {
    return decodedAtDoor;
  }

  /** The copies of its state this member keeps for members being re-synchronised. */
  public ResyncCopies resyncCopies() {
    return resyncCopies;
  }

  static final String RESYNC_FOLDER = "resync";

  private static void deleteResyncFolder(Path folder) throws IOException {
    if (!java.nio.file.Files.isDirectory(folder)) {
      return;
    }
    try (java.util.stream.Stream<Path> listing = java.nio.file.Files.list(folder)) {
      for (Path file : listing.toList()) {
        java.nio.file.Files.deleteIfExists(file);
      }
    }
  }

  private Path resyncFolder() throws IOException {
    Path group = groupDirectory;
    if (group == null) {
      throw new IOException(nodeId + " has no storage yet");
    }
    return java.nio.file.Files.createDirectories(group.resolve(RESYNC_FOLDER));
  }

  /**
   * As a source of a re-sync: keeps a copy of the state just after the re-sync entry at {@code at}
   * (the checkpoint format, on the checkpoint thread when the application freezes its state) for
   * the targets to fetch.
   */
  private void keepCopyFor(JournalEntry.Resync resync, TermIndex at) {
    CompletableFuture<Path> copy;
    try {
      Path file = resyncFolder().resolve("copy." + resync.round());
      Capture captured = capture(at);
      FrozenState frozen = captured.frozen();
      // A frozen state is written on the checkpoint thread; otherwise here, as checkpoints are.
      FrozenState payload = frozen != null ? frozen : captured.application()::checkpoint;
      java.util.concurrent.Executor writer = frozen != null ? checkpointThread() : Runnable::run;
      copy =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  CheckpointFile.write(
                      file,
                      captured.header(),
                      captured.runtimeState(),
                      out -> writePayload(out, payload));
                  return file;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              writer);
    } catch (IOException | RuntimeException e) {
      copy = CompletableFuture.failedFuture(e);
    }
    var unused =
        copy.whenComplete(
            (file, failure) -> {
              if (failure != null) {
                LOG.error(
                    "{}: could not keep a copy of its state for re-sync {} at index {}; the"
                        + " targets {} ask the other sources: {}",
                    nodeId,
                    resync.round(),
                    at.getIndex(),
                    resync.targets(),
                    failure.toString());
              } else {
                LOG.info(
                    "{}: keeps a copy of its state at index {} for re-sync {} of {}",
                    nodeId,
                    at.getIndex(),
                    resync.round(),
                    resync.targets());
              }
            });
    resyncCopies.replace(resync.round(), at.getIndex(), copy);
  }

  /**
   * As a target of a re-sync: fetches a source's copy of the state just after the entry at {@code
   * at}, verifies it, and continues from it in place of this member's own. Runs on the apply
   * thread, which waits meanwhile (this member lags, the others go on). If no source can give a
   * sound copy, the member keeps its own state and says so.
   */
  private void resyncFrom(JournalEntry.Resync resync, TermIndex at) {
    long started = System.nanoTime();
    Path into;
    try {
      into = resyncFolder().resolve("fetched." + resync.round());
    } catch (IOException e) {
      hooks.resynced(at.getIndex(), null, "no folder for the copy: " + e.getMessage());
      return;
    }
    java.util.Optional<NodeId> source =
        hooks.fetchResync(resync.round(), at.getIndex(), resync.sources(), into);
    if (source.isEmpty()) {
      hooks.resynced(
          at.getIndex(), null, "no source among " + resync.sources() + " gave a copy in time");
      return;
    }
    try {
      CheckpointHeader header = CheckpointFile.verify(into, core.application().checkpointVersion());
      if (header.journalIndex() != at.getIndex()) {
        throw new IOException(
            "the copy from "
                + source.get()
                + " was taken at index "
                + header.journalIndex()
                + ", not "
                + at.getIndex());
      }
      ReplicatedCore<C, R> restored = restore(into);
      if (restored.activeVersion() > restored.application().supportedVersion()) {
        throw new IOException(
            "the copy runs application version "
                + restored.activeVersion()
                + ", newer than this member's code supports");
      }
      stateLock.writeLock().lock();
      try {
        core = restored;
      } finally {
        stateLock.writeLock().unlock();
      }
      // A checkpoint at once, so that a restart replays from the re-synced state and never needs
      // the copy again.
      if (writing.isDone() && !closing) {
        startCheckpoint(at);
      } else {
        checkpointRequested = true;
      }
      LOG.warn(
          "{}: RE-SYNCHRONISED: replaced its state with {}'s at journal index {} (re-sync {}, {}"
              + " ms)",
          nodeId,
          source.get(),
          at.getIndex(),
          resync.round(),
          (System.nanoTime() - started) / 1_000_000);
      hooks.resynced(at.getIndex(), source.get(), null);
    } catch (IOException | RuntimeException e) {
      hooks.resynced(
          at.getIndex(), null, "the copy from " + source.get() + " was refused: " + e.getMessage());
    } finally {
      into.toFile().delete();
    }
  }

  /** The state just after {@code at}, captured on the apply thread. */
  private record Capture(
      CheckpointHeader header,
      byte[] runtimeState,
      ResilientApplication<?, ?> application,
      @Nullable FrozenState frozen) {}

  private Capture capture(TermIndex at) throws IOException {
    ReplicatedCore<C, R> current = core;
    ResilientApplication<C, R> application = current.application();
    CheckpointHeader header =
        new CheckpointHeader(
            CheckpointFile.FORMAT_VERSION,
            application.checkpointVersion(),
            at.getTerm(),
            at.getIndex(),
            current.lastPosition());
    ByteArrayOutputStream state = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(state)) {
      current.writeState(out);
    }
    return new Capture(header, state.toByteArray(), application, application.freeze());
  }

  private static void writePayload(OutputStream out, FrozenState payload) throws IOException {
    StreamCheckpointWriter writer = new StreamCheckpointWriter(out);
    payload.writeTo(writer);
    writer.flush();
  }

  /** The fingerprints this replica took at audit entries. */
  public Fingerprints fingerprints() {
    return fingerprints;
  }

  /**
   * Fingerprints the state just after the audit entry at {@code index}, on the apply thread with
   * the state's write lock held: the runtime's state at once, the application's from its frozen
   * state on the checkpoint thread when it freezes, else at once from its checkpoint.
   */
  private void fingerprint(long round, long index) {
    ReplicatedCore<C, R> current = core;
    String runtime;
    CompletableFuture<String> application;
    try {
      MessageDigest sha = sha256();
      try (DataOutputStream out =
          new DataOutputStream(
              new java.security.DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
        current.writeState(out);
      }
      runtime = HexFormat.of().formatHex(sha.digest());
      FrozenState frozen = current.application().freeze();
      if (frozen == null) {
        application = CompletableFuture.completedFuture(digest(current.application()::checkpoint));
      } else {
        application = CompletableFuture.supplyAsync(() -> digest(frozen), checkpointThread());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{}: audit {} at index {} could not fingerprint the state: {}",
          nodeId,
          round,
          index,
          e.toString());
      runtime = "";
      application = CompletableFuture.failedFuture(e);
    }
    fingerprints.add(new Fingerprints.Fingerprint(round, index, runtime, application));
  }

  private static String digest(FrozenState state) {
    MessageDigest sha = sha256();
    try (OutputStream out =
        new java.security.DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
      StreamCheckpointWriter writer = new StreamCheckpointWriter(out);
      state.writeTo(writer);
      writer.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Ratis asks for a snapshot only when {@link #publish} requested one. Never writes anything: it
   * answers with the checkpoint <em>before</em> the newest, up to which Ratis then purges the
   * journal, so that the journal always reaches back to the previous checkpoint (a node whose
   * newest checkpoint is refused starts from the older one and replays) and no further (a backup
   * that fell further behind is sent the newest checkpoint instead of the whole journal). The
   * answer never decreases and is never below what Ratis last loaded, as Ratis requires.
   */
  @Override
  public long takeSnapshot() {
    return previousCheckpointIndex;
  }

  /** Counts afresh towards the next automatic checkpoint and begins one at {@code at}. */
  private void startCheckpoint(TermIndex at) {
    sinceCheckpoint = 0;
    journalSinceCheckpoint = 0;
    checkpointRequested = false;
    beginCheckpoint(at);
  }

  /**
   * Begins a checkpoint of the state just after the entry at {@code at}. Runs on the apply thread,
   * which alone changes the state, so what it captures is consistent.
   */
  private void beginCheckpoint(TermIndex at) {
    Position position = core.lastPosition();
    long started = System.nanoTime();
    FrozenState frozen;
    Capture captured;
    try {
      captured = capture(at);
      frozen = captured.frozen();
      if (frozen == null) {
        write(at, captured.header(), captured.runtimeState(), captured.application()::checkpoint);
        return;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: checkpoint at {} failed; the previous one stays in force", nodeId, position, e);
      return;
    } finally {
      // The budget covers what stops apply: the capture, or the whole synchronous write.
      if (checkpointClock.record(System.nanoTime() - started)) {
        LOG.warn("{}: checkpoint overran its budget of {}", nodeId, checkpointClock.budget());
      }
    }
    CheckpointHeader header = captured.header();
    byte[] runtimeState = captured.runtimeState();
    FrozenState payload = frozen;
    writing =
        CompletableFuture.runAsync(
            () -> {
              try {
                write(at, header, runtimeState, payload);
              } catch (IOException | RuntimeException e) {
                if (closing) {
                  LOG.debug(
                      "{}: checkpoint at {} abandoned: the node is closing", nodeId, position);
                } else {
                  LOG.warn(
                      "{}: checkpoint at {} failed; the previous one stays in force",
                      nodeId,
                      position,
                      e);
                }
              }
            },
            checkpointThread());
  }

  /**
   * Writes a checkpoint file with {@code payload} as the application's part (a frozen state, or the
   * application's own {@code checkpoint} for a synchronous write) and publishes it.
   */
  private void write(
      TermIndex at, CheckpointHeader header, byte[] runtimeState, FrozenState payload)
      throws IOException {
    long started = System.nanoTime();
    File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    MD5Hash[] md5 = new MD5Hash[1];
    CheckpointFile.Written written =
        CheckpointFile.write(
            file.toPath(),
            header,
            runtimeState,
            out -> writePayload(new AbortOnClose(out), payload),
            // Ratis sends the digest with the checkpoint when a backup installs it; it must exist
            // as soon as the checkpoint does, since Ratis may find the file by listing the folder.
            done -> {
              md5[0] = MD5Hash.newInstance(done.md5());
              MD5FileUtil.saveMD5File(file, md5[0]);
            });
    publish(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5[0]), at));
    checkpointBytes = written.size();
    meters.checkpointWritten(System.nanoTime() - started, written.size());
    LOG.debug("{}: checkpoint {} written, {} bytes", nodeId, file.getName(), written.size());
  }

  /**
   * Makes a written checkpoint the newest one, unless a newer one arrived meanwhile (an install),
   * and asks Ratis to take note of it, so it purges the journal up to it.
   */
  private void publish(SingleFileSnapshotInfo checkpoint) {
    SingleFileSnapshotInfo newest = storage.updateLatestSnapshot(checkpoint);
    newestCheckpoint = newest;
    if (newest != checkpoint) {
      return;
    }
    previousCheckpointIndex = lastCheckpointIndex;
    lastCheckpointIndex = checkpoint.getIndex();
    // Not from the apply thread: Ratis's snapshot request takes the server's lock.
    checkpointThread()
        .execute(
            () -> {
              var unused =
                  getServer()
                      .thenCompose(
                          server -> {
                            try {
                              return server.snapshotManagementAsync(
                                  SnapshotManagementRequest.newCreate(
                                      adminClient,
                                      getId(),
                                      getGroupId(),
                                      adminCalls.incrementAndGet(),
                                      30_000,
                                      1));
                            } catch (RuntimeException e) {
                              return CompletableFuture.failedFuture(e);
                            }
                          })
                      .whenComplete(
                          (reply, failure) -> {
                            Throwable problem = failure != null ? failure : reply.getException();
                            if (problem != null && !closing) {
                              LOG.debug(
                                  "{}: journal not purged up to checkpoint {} yet: {}",
                                  nodeId,
                                  checkpoint.getIndex(),
                                  problem.toString());
                            }
                          });
            });
  }

  private synchronized ExecutorService checkpointThread() {
    if (checkpointThread == null) {
      checkpointThread =
          Executors.newSingleThreadExecutor(NodeThreads.factory("checkpoint", nodeId.value()));
    }
    return checkpointThread;
  }

  private void awaitWriting() {
    try {
      writing.join();
    } catch (RuntimeException e) {
      // Already logged by the writer.
    }
  }

  @Override
  public void close() throws IOException {
    closing = true;
    awaitWriting();
    ExecutorService thread;
    synchronized (this) {
      thread = checkpointThread;
    }
    if (thread != null) {
      thread.shutdownNow();
    }
    super.close();
  }

  /** Fails the checkpoint's next write once the node is closing, so closing never waits for it. */
  private final class AbortOnClose extends FilterOutputStream {
    AbortOnClose(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      check();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      check();
      out.write(b, off, len);
    }

    private void check() throws IOException {
      if (closing) {
        throw new IOException(nodeId + " is closing");
      }
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    NodeId primary = newLeaderId == null ? null : NodeId.of(newLeaderId.toString());
    meters.primaryChanged();
    hooks.primaryChanged(primary, core.lastHandOver());
  }

  @Override
  public void notifyNotLeader(java.util.Collection<TransactionContext> pendingEntries) {
    // Called when this node stops leading (stepped down, deposed, or closing) — before it learns
    // who
    // leads now, if it ever does.
    hooks.primaryChanged(null, core.lastHandOver());
  }

  @Override
  public void notifyLeaderReady() {
    // Called on the apply thread once this leader's first entry is applied, and before the term of
    // that entry is recorded, so the last applied term is still the previous primary's.
    TermIndex applied = getLastAppliedTermIndex();
    long prior = applied == null ? 0 : applied.getTerm();
    long epoch;
    try {
      epoch = getServer().get().getDivision(getGroupId()).getInfo().getCurrentTerm();
    } catch (Exception e) {
      LOG.warn("{}: cannot read the current term at leader start", nodeId, e);
      return;
    }
    hooks.primaryReady(epoch, prior, core.lastHandOver());
  }

  @Override
  public @Nullable String toString() {
    return "StateMachine[" + nodeId + "]";
  }
}
