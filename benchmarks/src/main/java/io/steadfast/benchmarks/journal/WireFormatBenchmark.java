package io.steadfast.benchmarks.journal;

import io.steadfast.api.Position;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the journal's binary {@link WireFormat}: encoding a group-commit batch (done once on
 * the primary's flusher thread per Raft entry), decoding it (once per replica per entry, on the
 * apply thread), and encoding and decoding the batch's outcomes (the entry's reply).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WireFormatBenchmark}. {@code requests}
 * is the batch size: 1 (no group commit), 64 (64 busy sessions) and 256 (the default cap). Each
 * request carries a ~250-byte mortgage submission. Divide the time by {@code requests} for the cost
 * per command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireFormatBenchmark {

  @Param({"1", "64", "256"})
  public int requests;

  private JournalEntry.Batch batch;
  private byte[] encodedBatch;
  private List<Outcome> outcomes;
  private byte[] encodedOutcomes;

  /** Builds one batch and its outcomes. */
  @Setup
  public void setUp() {
    byte[] payload = MortgageLoanApplication.codec().encodeCommand(MortgageFixtures.submit(3));
    byte[] result = new byte[96];
    List<Request> list = new ArrayList<>();
    outcomes = new ArrayList<>();
    ResumePoint point = ResumePoint.of(Map.of("screen", "intake", "loan", "L-000003"));
    for (int i = 0; i < requests; i++) {
      list.add(
          Request.command(SessionId.of("s-" + i + "-6f1c2b7e-4a55-4c1e-9d0a"), 1000 + i, payload));
      outcomes.add(Outcome.applied(new Position(5000 + i, 3), result, point));
    }
    batch = new JournalEntry.Batch(1_709_287_200_000L, list);
    encodedBatch = WireFormat.encode(batch);
    encodedOutcomes = WireFormat.encodeOutcomes(outcomes);
  }

  /** Encodes a batch (primary, flusher thread). */
  @Benchmark
  public byte[] encodeBatch() {
    return WireFormat.encode(batch);
  }

  /** Decodes a batch (every replica, apply thread). */
  @Benchmark
  public JournalEntry decodeBatch() throws IOException {
    return WireFormat.decode(encodedBatch);
  }

  /** Encodes the outcomes (every replica, apply thread). */
  @Benchmark
  public byte[] encodeOutcomes() {
    return WireFormat.encodeOutcomes(outcomes);
  }

  /** Decodes the outcomes (primary, engine completion thread). */
  @Benchmark
  public List<Outcome> decodeOutcomes() throws IOException {
    return WireFormat.decodeOutcomes(encodedOutcomes);
  }
}
