package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratis keeps each request's reply in its retry cache for 60 s by default. The engine never sends a
 * request twice under one call id, so it keeps them about a second: they are let go long before the
 * default would.
 */
class RetryCacheExpiryTest {

  @TempDir Path storage;

  @Test
  void repliesLeaveTheRetryCacheWithinSeconds() throws Exception {
    try (RatisEngine engine =
        SingleMemberEngine.start(storage, "retry-cache-test", new Echo(), () -> {})) {
      SingleMemberEngine.awaitWritable(engine);
      for (int i = 1; i < 50; i++) {
        engine.write(new byte[] {(byte) i}).get(5, TimeUnit.SECONDS);
      }
      assertThat(engine.retryCacheSize()).isGreaterThanOrEqualTo(50);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      // Guava's cache drops expired entries as it is written to, so keep writing while waiting: ten
      // a second, of which about ten are young enough to stay.
      int next = 50;
      while (engine.retryCacheSize() > 25) {
        assertThat(System.nanoTime())
            .as("the retry cache let go of its replies within 5 s")
            .isLessThan(deadline);
        engine.write(new byte[] {(byte) next++}).get(5, TimeUnit.SECONDS);
        Thread.sleep(100);
      }
    }
  }

  /** Answers each entry with its own bytes. */
  private static final class Echo extends BaseStateMachine {
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      var entry = trx.getLogEntry();
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(
          Message.valueOf(entry.getStateMachineLogEntry().getLogData()));
    }
  }
}
