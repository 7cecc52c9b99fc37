package io.steadfast.benchmarks.journal;

import io.steadfast.api.session.SessionId;
import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.internal.apply.ReplicatedCore;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The apply path of every replica, without Ratis: {@link ReplicatedCore#apply} on a group-commit
 * batch of mortgage commands from {@code requests} different sessions. Each command goes through
 * session lookup, the sequence check, codec decode, the application's {@code apply}, result encode
 * and the session record update.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ApplyBenchmark}. Parameters:
 *
 * <ul>
 *   <li>{@code requests}: commands per batch (1, 64, 256);
 *   <li>{@code path}: {@code fresh} applies new commands; {@code duplicate} re-applies the last
 *       batch, so every request is a retry answered from the session table (the dedup path);
 *   <li>{@code command}: {@code intake} (a typed field: no loan changes) or {@code submit} (a new
 *       loan each time: the book grows during the run, as it does in production).
 * </ul>
 *
 * <p>Divide the time by {@code requests} for the cost per command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class ApplyBenchmark {

  @Param({"1", "64", "256"})
  public int requests;

  @Param({"fresh", "duplicate"})
  public String path;

  @Param({"intake", "submit"})
  public String command;

  private ReplicatedCore<LoanCommand, LoanResult> core;
  private SessionId[] sessions;
  private long[] sequences;
  private byte[] payload;
  private JournalEntry.Batch last;
  private long time = 1_709_287_200_000L;

  /**
   * Opens the sessions and applies one batch, so that {@code duplicate} has something to repeat.
   */
  @Setup(Level.Iteration)
  public void setUp() {
    JacksonCodec<LoanCommand, LoanResult> codec = MortgageLoanApplication.codec();
    core = new ReplicatedCore<>(new MortgageLoanApplication(), codec);
    payload =
        codec.encodeCommand(
            command.equals("submit")
                ? MortgageFixtures.submit(11)
                : MortgageFixtures.intakeField(11));
    sessions = new SessionId[requests];
    sequences = new long[requests];
    List<Request> opens = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      sessions[i] = SessionId.of("s-bench-" + i);
      opens.add(Request.open(sessions[i], MortgageFixtures.OFFICER, Duration.ofHours(1)));
    }
    core.apply(new JournalEntry.Batch(time, opens), 1);
    last = nextBatch();
    core.apply(last, 1);
  }

  private JournalEntry.Batch nextBatch() {
    List<Request> list = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      list.add(Request.command(sessions[i], ++sequences[i], payload));
    }
    return new JournalEntry.Batch(++time, list);
  }

  /** Applies one batch on the apply thread's path. */
  @Benchmark
  public List<Outcome> applyBatch() {
    JournalEntry.Batch batch = path.equals("duplicate") ? last : nextBatch();
    return core.apply(batch, 1);
  }
}
