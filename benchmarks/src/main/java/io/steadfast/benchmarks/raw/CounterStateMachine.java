package io.steadfast.benchmarks.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/**
 * The baseline's state machine: counts the commands applied and answers each with the new count.
 * One command is one Raft entry; the payload is ignored. No snapshots (the log is never purged), so
 * a restarted follower always catches up by log replay.
 *
 * <p>Applied on Ratis's apply thread; {@link #count()} and {@link #appliedIndex()} may be read from
 * any thread.
 */
final class CounterStateMachine extends BaseStateMachine {

  private final AtomicLong count = new AtomicLong();

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage)
      throws IOException {
    super.initialize(server, groupId, storage);
    // Move the life cycle as Ratis expects (DESIGN.md pitfall 2); BaseStateMachine does not.
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  @Override
  public void pause() {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() {
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long value = count.incrementAndGet();
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    byte[] reply = ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
  }

  /** Commands applied so far. */
  long count() {
    return count.get();
  }

  /** The index of the last applied entry, or -1. */
  long appliedIndex() {
    TermIndex applied = getLastAppliedTermIndex();
    return applied == null ? -1 : applied.getIndex();
  }
}
