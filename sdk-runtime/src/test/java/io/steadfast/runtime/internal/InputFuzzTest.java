package io.steadfast.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.apply.ReplicatedCore;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.checkpoint.CheckpointHeader;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random and mutated input into every decoder that reads bytes from outside: the request and
 * outcome wire format, journal entries, a checkpoint's runtime state and the checkpoint file.
 * Properties: only the decoder's typed failures escape (never a NullPointerException, an index out
 * of bounds, a negative array size or an OutOfMemoryError), and no decode allocates more than 1 MiB
 * (stack traces and file buffers) plus 16 times its input, where a believed length field would
 * allocate up to 64 MiB.
 *
 * <p>{@value #DEFAULT_CASES} cases per decoder here; a long run: {@code ./mvnw -pl sdk-runtime test
 * -Dtest=InputFuzzTest -Dsteadfast.fuzz.cases=100000 -Dsteadfast.fuzz.seed=N}. A failure names its
 * seed and case.
 */
class InputFuzzTest {

  private static final int DEFAULT_CASES = 3_000;
  private static final int CASES = Integer.getInteger("steadfast.fuzz.cases", DEFAULT_CASES);
  private static final long SEED = Long.getLong("steadfast.fuzz.seed", 20261203L);
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @TempDir Path dir;

  /** A decoder under test; its typed failures are the listed exception types. */
  private interface Decoder {
    void decode(byte[] input) throws Exception;
  }

  private static List<byte[]> seeds() {
    SessionId s = SessionId.of("s-1");
    Request open = Request.open(s, Principal.of("zoë", "clerk", "auditor"), Duration.ofMinutes(5));
    Request command = Request.command(s, 3, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    Request close = Request.close(s, 3);
    return List.of(
        WireFormat.encodeRequest(open),
        WireFormat.encodeRequest(command),
        WireFormat.encodeRequest(close),
        WireFormat.encode(
            new JournalEntry.Batch(1_700_000_000_000L, List.of(open, command, close))),
        WireFormat.encode(
            new JournalEntry.HandOver(NodeId.of("n2"), RoleChange.Reason.SWITCHOVER, 4)),
        WireFormat.encodeOutcome(
            Outcome.applied(new Position(9, 2), new byte[] {1, 2}, ResumePoint.of("k", "v"))),
        WireFormat.encodeOutcomes(List.of(Outcome.unknownSession(), Outcome.expired())));
  }

  @Test
  void requestDecoder_onlyTypedFailures_boundedAllocation() {
    fuzz("request", WireFormat::decodeRequest, IOException.class, IllegalArgumentException.class);
  }

  @Test
  void journalEntryDecoder_onlyTypedFailures_boundedAllocation() {
    fuzz("entry", WireFormat::decode, IOException.class, IllegalArgumentException.class);
  }

  @Test
  void outcomeDecoders_onlyTypedFailures_boundedAllocation() {
    fuzz("outcome", WireFormat::decodeOutcome, IOException.class, IllegalArgumentException.class);
    fuzz("outcomes", WireFormat::decodeOutcomes, IOException.class, IllegalArgumentException.class);
  }

  @Test
  void checkpointRuntimeState_onlyTypedFailures_boundedAllocation() throws Exception {
    ReplicatedCore<LedgerCommand, Long> core =
        new ReplicatedCore<>(
            new LedgerApplication(),
            io.steadfast.codec.jackson.JacksonCodec.of(LedgerCommand.class, Long.class));
    ByteArrayOutputStream state = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(state)) {
      core.writeState(out);
    }
    fuzz(
        "runtime state",
        List.of(state.toByteArray()),
        bytes ->
            new ReplicatedCore<>(
                    new LedgerApplication(),
                    io.steadfast.codec.jackson.JacksonCodec.of(LedgerCommand.class, Long.class))
                .readState(new DataInputStream(new ByteArrayInputStream(bytes)), 2),
        IOException.class,
        IllegalArgumentException.class);
  }

  @Test
  void checkpointFile_onlyTypedFailures() throws Exception {
    Path good = dir.resolve("snapshot.2_40");
    CheckpointFile.write(
        good,
        new CheckpointHeader(1, 1, 2, 40, new Position(17, 2)),
        new byte[] {1, 2, 3},
        out -> out.write("payload bytes".getBytes(StandardCharsets.UTF_8)));
    byte[] whole = Files.readAllBytes(good);
    Path file = dir.resolve("snapshot.2_41");
    fuzz(
        "checkpoint file",
        List.of(whole),
        bytes -> {
          Files.write(file, bytes);
          CheckpointFile.verify(file, 1);
        },
        CheckpointException.class,
        IOException.class);
  }

  private static void fuzz(String what, Decoder decoder, Class<?>... typed) {
    fuzz(what, seeds(), decoder, typed);
  }

  private static void fuzz(String what, List<byte[]> seeds, Decoder decoder, Class<?>... typed) {
    SplittableRandom random = new SplittableRandom(SEED ^ what.hashCode());
    for (int i = 0; i < CASES; i++) {
      byte[] input = input(random, seeds);
      long before = THREADS.getCurrentThreadAllocatedBytes();
      try {
        decoder.decode(input);
      } catch (Throwable e) {
        boolean allowed = false;
        for (Class<?> type : typed) {
          allowed |= type.isInstance(e);
        }
        if (!allowed) {
          throw new AssertionError(
              what + " case " + i + " (seed " + SEED + ") threw an untyped " + e, e);
        }
      }
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(allocated)
          .as(
              "%s case %d (seed %d): bytes allocated for %d input bytes",
              what, i, SEED, input.length)
          .isLessThanOrEqualTo((1 << 20) + 16L * input.length);
    }
  }

  /** Half mutations of a valid encoding (flipped, cut, spliced, grown bytes), half random bytes. */
  private static byte[] input(SplittableRandom random, List<byte[]> seeds) {
    if (random.nextBoolean()) {
      byte[] garbage = new byte[random.nextInt(0, 256)];
      random.nextBytes(garbage);
      return garbage;
    }
    byte[] seed = seeds.get(random.nextInt(seeds.size()));
    byte[] bytes = seed.clone();
    int mutations = random.nextInt(1, 4);
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      switch (random.nextInt(4)) {
        case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        case 2 -> {
          // a length or count field set to a huge or negative value
          int at = random.nextInt(bytes.length);
          int value =
              switch (random.nextInt(3)) {
                case 0 -> Integer.MAX_VALUE - random.nextInt(16);
                case 1 -> -random.nextInt(1, 16);
                // within the format's bounds, far beyond the bytes present
                default -> random.nextInt(1024, 1 << 20);
              };
          for (int b = 0; b < 4 && at + b < bytes.length; b++) {
            bytes[at + b] = (byte) (value >>> (24 - 8 * b));
          }
        }
        default -> {
          byte[] grown = java.util.Arrays.copyOf(bytes, bytes.length + random.nextInt(1, 32));
          for (int b = bytes.length; b < grown.length; b++) {
            grown[b] = (byte) random.nextInt(256);
          }
          bytes = grown;
        }
      }
    }
    return bytes;
  }
}
