package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.checkpoint.CheckpointFile;
import io.steadfast.runtime.checkpoint.CheckpointHeader;
import io.steadfast.runtime.checkpoint.StreamCheckpointReader;
import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import io.steadfast.runtime.internal.journal.ExitPointClock;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.ReplicatedCore;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
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
 * <p>Apply, checkpoint and restore hold the state's write lock; queries hold its read lock.
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
  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
  private final ExitPointClock checkpointClock;
  private final ExitPointClock restoreClock;

  private volatile ReplicatedCore<C, R> core;
  private volatile long lastCheckpointIndex = -1;
  private volatile boolean started;
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
   */
  public StateMachineAdapter(
      NodeId nodeId,
      Supplier<ResilientApplication<C, R>> applications,
      CommandCodec<C, R> codec,
      NodeHooks hooks) {
    this.nodeId = nodeId;
    this.applications = applications;
    this.codec = codec;
    this.hooks = hooks;
    this.core = new ReplicatedCore<>(applications.get(), codec);
    this.checkpointClock = new ExitPointClock("checkpoint", core.application().budgets().checkpoint());
    this.restoreClock = new ExitPointClock("restore", core.application().budgets().restore());
  }

  /** The current core (replaced when a checkpoint is restored). */
  public ReplicatedCore<C, R> core() {
    return core;
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

  /** The journal index of the last applied entry, or -1. */
  public long lastAppliedIndex() {
    TermIndex applied = getLastAppliedTermIndex();
    return applied == null ? -1 : applied.getIndex();
  }

  /** Runs {@code reader} against the current state under the read lock (queries). */
  public <T> T read(Function<ReplicatedCore<C, R>, T> reader) {
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
   * Sets what answers direct questions from peers (stale reads). Called without any lock, so that
   * a long apply or checkpoint never delays it; the handler must not touch replicated state.
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

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  @Override
  public void pause() {
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
      storage.loadLatestSnapshot();
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
    SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
    if (latest == null) {
      return;
    }
    Path file = latest.getFile().getPath();
    ReplicatedCore<C, R> restored = restore(file);
    stateLock.writeLock().lock();
    try {
      core = restored;
      setLastAppliedTermIndex(latest.getTermIndex());
      lastCheckpointIndex = latest.getIndex();
    } finally {
      stateLock.writeLock().unlock();
    }
    LOG.info("{}: restored checkpoint {} at position {}", nodeId, file.getFileName(),
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
    ReplicatedCore<C, R> fresh = new ReplicatedCore<>(application, codec);
    long started = System.nanoTime();
    try (CheckpointFile.Opened opened = CheckpointFile.open(file, application.checkpointVersion())) {
      fresh.readState(new DataInputStream(new ByteArrayInputStream(opened.runtimeState())));
      CheckpointHeader header = opened.header();
      try {
        application.restore(new StreamCheckpointReader(
            opened.payload(), header.applicationVersion(), header.position()));
      } catch (IOException | RuntimeException e) {
        throw new CheckpointException(CheckpointException.Problem.UNREADABLE,
            file.getFileName().toString(), "application restore failed: " + e.getMessage(), e);
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
    JournalEntry journalEntry;
    try {
      journalEntry = WireFormat.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    } catch (IOException e) {
      // Only a runtime of another version could have journaled this; applying past it would make
      // this replica diverge, so stop the node.
      hooks.failed(e);
      throw new IllegalStateException(
          nodeId + ": undecodable journal entry at index " + entry.getIndex(), e);
    }
    List<Outcome> outcomes;
    stateLock.writeLock().lock();
    try {
      outcomes = core.apply(journalEntry, entry.getTerm());
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    } catch (Error e) {
      hooks.failed(e);
      throw e;
    } finally {
      stateLock.writeLock().unlock();
    }
    if (trx.getServerRole() != org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER) {
      // Only the leader answers the submitter; backups keep the outcomes in their session tables
      // and need not encode them.
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(WireFormat.encodeOutcomes(outcomes))));
  }

  @Override
  public long takeSnapshot() throws IOException {
    stateLock.writeLock().lock();
    try {
      TermIndex applied = getLastAppliedTermIndex();
      if (applied == null || applied.getIndex() <= 0 || applied.getIndex() == lastCheckpointIndex) {
        return applied == null ? -1 : lastCheckpointIndex;
      }
      File file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
      ReplicatedCore<C, R> current = core;
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(state)) {
        current.writeState(out);
      }
      Position position = current.lastPosition();
      CheckpointHeader header = new CheckpointHeader(CheckpointFile.FORMAT_VERSION,
          current.application().checkpointVersion(), applied.getTerm(), applied.getIndex(),
          position);
      long started = System.nanoTime();
      long size;
      try {
        size = CheckpointFile.write(file.toPath(), header, state.toByteArray(), out -> {
          StreamCheckpointWriter writer = new StreamCheckpointWriter(out);
          current.application().checkpoint(writer);
          writer.flush();
        });
      } catch (IOException | RuntimeException e) {
        throw new IOException(nodeId + ": checkpoint at " + position + " failed", e);
      } finally {
        if (checkpointClock.record(System.nanoTime() - started)) {
          LOG.warn("{}: checkpoint overran its budget of {}", nodeId, checkpointClock.budget());
        }
      }
      var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
      storage.updateLatestSnapshot(
          new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
      lastCheckpointIndex = applied.getIndex();
      LOG.debug("{}: checkpoint {} written, {} bytes", nodeId, file.getName(), size);
      return applied.getIndex();
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    NodeId primary = newLeaderId == null ? null : NodeId.of(newLeaderId.toString());
    hooks.primaryChanged(primary, core.lastHandOver());
  }

  @Override
  public void notifyNotLeader(java.util.Collection<TransactionContext> pendingEntries) {
    // Called when this node stops leading (stepped down, deposed, or closing) — before it learns who
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
