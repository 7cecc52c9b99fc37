package io.steadfast.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.Position;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The writer encodes strings and decimals in place, without an array per value; the bytes must stay
 * those of the format as first written ({@code getBytes(UTF_8)} and {@code toByteArray()}), or
 * checkpoints already on disk would no longer read. Seeded, so a failure repeats.
 */
class StreamCheckpointWriterTest {

  private static final long SEED = 0x5EEDCAFEL;

  @Test
  void strings_encodeExactlyAsGetBytes_includingUnpairedSurrogatesAndLongStrings()
      throws IOException {
    Random random = new Random(SEED);
    List<String> values = new ArrayList<>(List.of("", "a", "é", "€", "😀", "\uD800", "\uDC00x"));
    values.add("x".repeat(1024));
    values.add("x".repeat(1025));
    values.add("€".repeat(341) + "ab");
    values.add("€".repeat(400));
    for (int i = 0; i < 20_000; i++) {
      values.add(randomString(random));
    }

    assertThat(ours(values, StreamCheckpointWriter::writeString))
        .isEqualTo(
            reference(
                values,
                (out, value) -> {
                  byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                  out.writeInt(bytes.length);
                  out.write(bytes);
                }));
  }

  @Test
  void decimals_encodeExactlyAsToByteArray_andReadBack() throws IOException {
    Random random = new Random(SEED);
    List<BigDecimal> values = new ArrayList<>();
    for (long edge :
        new long[] {
          0,
          1,
          -1,
          127,
          128,
          -128,
          -129,
          255,
          256,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          Long.MIN_VALUE + 1
        }) {
      values.add(BigDecimal.valueOf(edge, 2));
    }
    values.add(new BigDecimal(BigInteger.TWO.pow(63), 0));
    values.add(new BigDecimal(BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE), 3));
    values.add(new BigDecimal("1E+5"));
    for (int i = 0; i < 20_000; i++) {
      BigInteger unscaled = new BigInteger(1 + random.nextInt(90), random);
      values.add(
          new BigDecimal(
              random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(21) - 5));
    }

    byte[] actual = ours(values, StreamCheckpointWriter::writeDecimal);

    assertThat(actual)
        .isEqualTo(
            reference(
                values,
                (out, value) -> {
                  byte[] bytes = value.unscaledValue().toByteArray();
                  out.writeInt(bytes.length);
                  out.write(bytes);
                  out.writeInt(value.scale());
                }));
    StreamCheckpointReader reader =
        new StreamCheckpointReader(new ByteArrayInputStream(actual), 1, Position.ZERO);
    for (BigDecimal value : values) {
      assertThat(reader.readDecimal()).isEqualTo(value);
    }
  }

  /** Writes one value to {@code to}. */
  @FunctionalInterface
  private interface Write<W, T> {
    void accept(W to, T value) throws IOException;
  }

  /** The bytes the writer under test gives {@code values}. */
  private static <T> byte[] ours(List<T> values, Write<StreamCheckpointWriter, T> write)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StreamCheckpointWriter writer = new StreamCheckpointWriter(bytes);
    for (T value : values) {
      write.accept(writer, value);
    }
    writer.flush();
    return bytes.toByteArray();
  }

  /** The bytes of the format as first written, through a plain {@link DataOutputStream}. */
  private static <T> byte[] reference(List<T> values, Write<DataOutputStream, T> write)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    for (T value : values) {
      write.accept(out, value);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static String randomString(Random random) {
    int length = random.nextInt(random.nextInt(10) == 0 ? 1200 : 40);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> text.append((char) (0x20 + random.nextInt(0x5F)));
        case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
        case 2 -> text.append((char) (0x800 + random.nextInt(0xD000)));
        case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
        case 4 -> text.append((char) (0xD800 + random.nextInt(0x800)));
        default -> text.append((char) random.nextInt(0x80));
      }
    }
    return text.toString();
  }
}
