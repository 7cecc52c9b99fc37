package io.steadfast.benchmarks.codec;

import io.steadfast.api.codec.CommandCodec;
import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.codec.binary.BinaryCodec;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import java.math.BigDecimal;
import java.time.LocalDate;
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
 * The cost of the default codec ({@link JacksonCodec}) and of the compact {@link BinaryCodec} on
 * the mortgage example's commands and results: what a session pays to encode each command, what
 * {@code submit} (authorization) and {@code apply} each pay to decode it, and what apply pays to
 * encode the result.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CommandCodecBenchmark}. Commands:
 * {@code intake} (one typed field, ~70 bytes), {@code submit} (a whole loan request with decimals,
 * ~250 bytes) and {@code appraisal} (an id and a decimal).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommandCodecBenchmark {

  @Param({"intake", "submit", "appraisal"})
  public String command;

  /** {@code json}: the example's {@link JacksonCodec}; {@code binary}: {@link BinaryCodec}. */
  @Param({"json", "binary"})
  public String format;

  private CommandCodec<LoanCommand, LoanResult> codec = MortgageLoanApplication.codec();
  private LoanCommand value;
  private byte[] encoded;
  private LoanResult result;
  private byte[] encodedResult;

  /** Picks the command and encodes it once for the decode benchmarks. */
  @Setup
  public void setUp() {
    codec =
        switch (format) {
          case "json" -> MortgageLoanApplication.codec();
          case "binary" -> BinaryCodec.of(LoanCommand.class, LoanResult.class);
          default -> throw new IllegalArgumentException("unknown format " + format);
        };
    value =
        switch (command) {
          case "intake" -> MortgageFixtures.intakeField(7);
          case "submit" -> MortgageFixtures.submit(7);
          case "appraisal" ->
              new LoanCommand.RecordAppraisal("L-000007", new BigDecimal("305000.00"));
          default -> throw new IllegalArgumentException("unknown command " + command);
        };
    encoded = codec.encodeCommand(value);
    result =
        new LoanResult.ApplicationSubmitted(
            "L-000007", new BigDecimal("1555.39"), LocalDate.of(2024, 3, 1));
    encodedResult = codec.encodeResult(result);
  }

  /** Encodes the command (session side). */
  @Benchmark
  public byte[] encodeCommand() {
    return codec.encodeCommand(value);
  }

  /** Decodes the command (done twice per command: at authorization and at apply). */
  @Benchmark
  public LoanCommand decodeCommand() {
    return codec.decodeCommand(encoded);
  }

  /** Encodes a result (apply side, once per command on every replica). */
  @Benchmark
  public byte[] encodeResult() {
    return codec.encodeResult(result);
  }

  /** Decodes a result (session side). */
  @Benchmark
  public LoanResult decodeResult() {
    return codec.decodeResult(encodedResult);
  }
}
