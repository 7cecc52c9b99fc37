package io.steadfast.benchmarks.checkpoint;

import io.steadfast.api.Position;
import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.checkpoint.StreamCheckpointReader;
import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.checkpoint.CheckpointHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Checkpoint cost against state size: writing the mortgage book through {@link CheckpointFile}
 * (serialize, CRC32C, force to disk, atomic move), the same plus the MD5 file Ratis needs (what the
 * runtime does on its apply thread, holding the state lock), and reading it back (verify the CRC,
 * then {@code restore} into a fresh application).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CheckpointBenchmark}, and for the
 * largest size {@code java -jar benchmarks/target/benchmarks.jar CheckpointBenchmark -p
 * records=1000000 -jvmArgs -Xmx6g}. The setup prints the file size; divide the time by it for the
 * cost per MB. The file goes to the system temporary folder, so the figures include that disk's
 * fsync.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class CheckpointBenchmark {

  @Param({"10000", "100000"})
  public int records;

  private MortgageLoanApplication application;
  private Path directory;
  private Path file;
  private CheckpointHeader header;
  private final byte[] runtimeState = new byte[64];

  /** Builds the book and writes one checkpoint to read. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    application = MortgageFixtures.loanBook(records);
    directory = Files.createTempDirectory("steadfast-checkpoint-bench-");
    file = directory.resolve("read.ckpt");
    header =
        new CheckpointHeader(
            CheckpointFile.FORMAT_VERSION,
            application.checkpointVersion(),
            1,
            records,
            new Position(records, 1));
    long size = write(file).size();
    System.out.printf(
        "%n%d records: checkpoint file %d bytes (%.2f MB)%n", records, size, size / 1e6);
  }

  /** Deletes the files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var files = Files.list(directory)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(directory);
  }

  /**
   * Writes a checkpoint file as the runtime does: serialize, CRC32C and MD5 on the way out, force,
   * atomic move.
   */
  @Benchmark
  public CheckpointFile.Written write() throws IOException {
    return write(directory.resolve("write.ckpt"));
  }

  private CheckpointFile.Written write(Path target) throws IOException {
    return CheckpointFile.write(
        target,
        header,
        runtimeState,
        out -> {
          StreamCheckpointWriter writer = new StreamCheckpointWriter(out);
          application.checkpoint(writer);
          writer.flush();
        });
  }

  /**
   * Freezes the book for a background checkpoint: all of a checkpoint that stops apply. Each call
   * also makes the next changes copy their pages, which this benchmark does not measure.
   */
  @Benchmark
  public Object freeze() {
    return application.freeze();
  }

  /** Verifies and opens a checkpoint, then restores it into a fresh application. */
  @Benchmark
  public MortgageLoanApplication read() throws IOException {
    MortgageLoanApplication fresh = new MortgageLoanApplication();
    try (CheckpointFile.Opened opened = CheckpointFile.open(file, fresh.checkpointVersion())) {
      fresh.restore(
          new StreamCheckpointReader(
              opened.payload(), opened.header().applicationVersion(), opened.header().position()));
    }
    return fresh;
  }
}
