package io.steadfast.codec.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.MalformedCommandException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

@SuppressWarnings(
    "SameNameButDifferent") // two releases of one record share its simple name on purpose
class BinaryCodecTest {

  enum Colour {
    RED,
    GREEN,
    BLUE
  }

  sealed interface Command {}

  record Scalars(
      int i,
      long l,
      short s,
      byte b,
      char c,
      boolean flag,
      double d,
      float f,
      @Nullable Integer boxed,
      String text,
      BigDecimal decimal,
      BigInteger big,
      LocalDate date,
      LocalTime time,
      LocalDateTime dateTime,
      Instant instant,
      Duration duration,
      UUID uuid,
      Colour colour)
      implements Command {}

  record Collections1(
      List<@Nullable String> names,
      Set<Colour> colours,
      SortedSet<String> sorted,
      Map<String, Integer> counts,
      SortedMap<Integer, List<String>> byNumber,
      Optional<Inner> maybe)
      implements Command {}

  record Inner(String name, @Nullable Inner next) {}

  record Checked(String id) implements Command {
    Checked {
      if (!id.startsWith("L-")) {
        throw new IllegalArgumentException("id must start with L-: " + id);
      }
    }
  }

  record Empty() implements Command {}

  sealed interface Result {}

  record Ok(long value) implements Result {}

  record Node(@Nullable List<Node> children) implements Command {}

  private static final BinaryCodec<Command, Result> CODEC =
      BinaryCodec.of(Command.class, Result.class);

  private static Scalars scalars(int seed) {
    return new Scalars(
        -seed,
        Long.MIN_VALUE + seed,
        (short) -300,
        (byte) -1,
        'é',
        seed % 2 == 0,
        Double.NaN,
        -0.0f,
        seed % 3 == 0 ? null : seed,
        "Zoë Ünal 😀 " + seed,
        new BigDecimal("12345.60"),
        new BigInteger("-123456789012345678901234567890"),
        LocalDate.of(1899, 12, 31).plusDays(seed),
        LocalTime.of(23, 59, 59, 999_999_999),
        LocalDateTime.of(2024, 2, 29, 12, 0),
        Instant.ofEpochSecond(-5, 7),
        Duration.ofMillis(-1500),
        new UUID(seed, -seed),
        Colour.values()[seed % 3]);
  }

  private static Collections1 collections() {
    List<@Nullable String> names = new ArrayList<>();
    names.add("a");
    names.add(null);
    names.add("");
    SortedMap<Integer, List<String>> byNumber = new TreeMap<>();
    byNumber.put(-1, List.of("x", "y"));
    byNumber.put(7, List.of());
    return new Collections1(
        names,
        Set.of(Colour.BLUE, Colour.RED),
        new TreeSet<>(List.of("b", "a", "c")),
        Map.of("one", 1, "two", 2, "three", 3),
        byNumber,
        Optional.of(new Inner("outer", new Inner("inner", null))));
  }

  @Test
  void everySupportedType_roundTrips() {
    List<Command> commands =
        List.of(
            scalars(0),
            scalars(1),
            scalars(2),
            collections(),
            new Collections1(
                List.of(), Set.of(), new TreeSet<>(), Map.of(), new TreeMap<>(), Optional.empty()),
            new Checked("L-1"),
            new Empty(),
            new Node(List.of(new Node(null), new Node(List.of()))));
    for (Command command : commands) {
      Command decoded = CODEC.decodeCommand(CODEC.encodeCommand(command));
      assertThat(decoded).isEqualTo(command);
    }
    assertThat(CODEC.decodeResult(CODEC.encodeResult(new Ok(-42)))).isEqualTo(new Ok(-42));
  }

  @Test
  void decimals_keepTheirScale() {
    for (String text :
        new String[] {
          "1.0",
          "1.00",
          "0",
          "0.000",
          "-4611686018427387904",
          "4611686018427387904",
          "-99999999999999999999999.5",
          "1E+5"
        }) {
      BigDecimal value = new BigDecimal(text);
      Scalars decoded =
          (Scalars) CODEC.decodeCommand(CODEC.encodeCommand(withDecimal(scalars(1), value)));
      assertThat(decoded.decimal().scale()).as(text).isEqualTo(value.scale());
      assertThat(decoded.decimal().unscaledValue()).as(text).isEqualTo(value.unscaledValue());
    }
  }

  private static Scalars withDecimal(Scalars s, BigDecimal decimal) {
    return new Scalars(
        s.i(),
        s.l(),
        s.s(),
        s.b(),
        s.c(),
        s.flag(),
        s.d(),
        s.f(),
        s.boxed(),
        s.text(),
        decimal,
        s.big(),
        s.date(),
        s.time(),
        s.dateTime(),
        s.instant(),
        s.duration(),
        s.uuid(),
        s.colour());
  }

  @Test
  void equalValues_giveEqualBytes_whateverTheIterationOrder() {
    Set<Colour> forward = new LinkedHashSet<>(List.of(Colour.RED, Colour.GREEN, Colour.BLUE));
    Set<Colour> backward = new LinkedHashSet<>(List.of(Colour.BLUE, Colour.GREEN, Colour.RED));
    Map<String, Integer> one = new LinkedHashMap<>();
    Map<String, Integer> other = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      one.put("k" + i, i);
    }
    for (int i = 49; i >= 0; i--) {
      other.put("k" + i, i);
    }
    SortedSet<String> reversed = new TreeSet<>(Collections.reverseOrder());
    reversed.addAll(List.of("a", "b", "c"));
    Collections1 a =
        new Collections1(
            List.of("x"),
            forward,
            new TreeSet<>(List.of("a", "b", "c")),
            one,
            new TreeMap<>(),
            Optional.empty());
    Collections1 b =
        new Collections1(
            List.of("x"), backward, reversed, other, new TreeMap<>(), Optional.empty());
    assertThat(CODEC.encodeCommand(a)).isEqualTo(CODEC.encodeCommand(b));
  }

  @Test
  void everyNaN_isWrittenAsTheCanonicalOne() {
    Scalars plain = scalars(2);
    Scalars other =
        new Scalars(
            plain.i(),
            plain.l(),
            plain.s(),
            plain.b(),
            plain.c(),
            plain.flag(),
            Double.longBitsToDouble(0x7ff8_0000_0000_0001L),
            plain.f(),
            plain.boxed(),
            plain.text(),
            plain.decimal(),
            plain.big(),
            plain.date(),
            plain.time(),
            plain.dateTime(),
            plain.instant(),
            plain.duration(),
            plain.uuid(),
            plain.colour());
    assertThat(CODEC.encodeCommand(other)).isEqualTo(CODEC.encodeCommand(plain));
  }

  @Test
  void output_isCompact() {
    byte[] bytes = CODEC.encodeCommand(new Checked("L-000001"));
    // format byte, 4-byte wire id, presence byte, length, 8 ASCII bytes
    assertThat(bytes).hasSize(1 + 4 + 1 + 1 + 8);
  }

  @Test
  void everyTruncation_isMalformed() {
    for (Command command : List.of(scalars(1), collections(), new Checked("L-2"))) {
      byte[] bytes = CODEC.encodeCommand(command);
      for (int length = 0; length < bytes.length; length++) {
        byte[] cut = java.util.Arrays.copyOf(bytes, length);
        assertThatThrownBy(() -> CODEC.decodeCommand(cut))
            .as("cut to %d of %d bytes", length, bytes.length)
            .isInstanceOf(MalformedCommandException.class);
      }
    }
  }

  @Test
  void trailingBytes_areMalformed() {
    byte[] bytes = CODEC.encodeCommand(new Checked("L-2"));
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> CODEC.decodeCommand(longer))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("1 bytes left after the value");
  }

  /** Seeded: any damage gives either some valid value or a typed error, never another exception. */
  @Test
  void randomDamage_givesAValueOrATypedError() {
    Random random = new Random(20261205L);
    List<byte[]> samples =
        List.of(
            CODEC.encodeCommand(scalars(1)),
            CODEC.encodeCommand(collections()),
            CODEC.encodeCommand(new Node(List.of(new Node(List.of(new Node(null)))))));
    int malformed = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = samples.get(round % samples.size()).clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        bytes[1 + random.nextInt(bytes.length - 1)] = (byte) random.nextInt(256);
      }
      try {
        CODEC.decodeCommand(bytes);
      } catch (MalformedCommandException e) {
        assertThat(e.getMessage()).isNotBlank();
        malformed++;
      }
    }
    assertThat(malformed).isGreaterThan(10_000);
  }

  @Test
  void hugeLengths_areRefusedBeforeAllocating() {
    byte[] valid = CODEC.encodeCommand(new Checked("L-1"));
    // format, wire id, presence, then a length of 2^62
    byte[] lying = java.util.Arrays.copyOf(valid, 6 + 9);
    for (int i = 6; i < 14; i++) {
      lying[i] = (byte) 0xFF;
    }
    lying[14] = 0x3F;
    assertThatThrownBy(() -> CODEC.decodeCommand(lying))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("exceeds the 0 bytes left");
  }

  @Test
  void deepNesting_isRefusedBothWays() {
    Node deep = new Node(null);
    for (int i = 0; i < 100; i++) {
      deep = new Node(List.of(deep));
    }
    Node tooDeep = deep;
    assertThatThrownBy(() -> CODEC.encodeCommand(tooDeep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested more than 64 levels");

    byte[] leaf = CODEC.encodeCommand(new Node(null)); // format, id, 0
    byte[] id = java.util.Arrays.copyOfRange(leaf, 1, 5);
    java.io.ByteArrayOutputStream crafted = new java.io.ByteArrayOutputStream();
    crafted.write(BinaryCodec.FORMAT);
    for (int i = 0; i < 100_000; i++) {
      crafted.writeBytes(id);
      crafted.writeBytes(new byte[] {1, 1, 1}); // list present, one element, element present
    }
    crafted.writeBytes(id);
    crafted.write(0);
    assertThatThrownBy(() -> CODEC.decodeCommand(crafted.toByteArray()))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("nested more than 64 levels");
  }

  @Test
  void jsonInput_isNamed() {
    assertThatThrownBy(
            () -> CODEC.decodeCommand("{\"@type\":\"Checked\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("JSON");
    assertThatThrownBy(() -> CODEC.decodeCommand(new byte[0]))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("empty input for Command");
  }

  @Test
  void theRecordsOwnChecks_runOnDecode() {
    byte[] bytes = CODEC.encodeCommand(new Checked("L-1"));
    bytes[bytes.length - 3] = 'X'; // "L-1" -> "X-1"
    assertThatThrownBy(() -> CODEC.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("invalid Checked: id must start with L-: X-1");
  }

  @Test
  void unknownEnumConstant_isNamed() {
    byte[] bytes = CODEC.encodeCommand(scalars(1)); // colour GREEN, written last
    int at = bytes.length - "GREEN".length();
    bytes[at] = 'P';
    assertThatThrownBy(() -> CODEC.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("unknown Colour constant 'PREEN'");
  }

  @Test
  void invalidUtf8_isMalformed() {
    byte[] bytes = CODEC.encodeCommand(new Checked("L-é"));
    bytes[bytes.length - 1] = (byte) 0xC3; // a lead byte with no continuation
    assertThatThrownBy(() -> CODEC.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("invalid UTF-8");
  }

  @Test
  void unpairedSurrogate_isRefusedWhenEncoding() {
    assertThatThrownBy(() -> CODEC.encodeCommand(new Checked("L-\uD800")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void nullComponent_survives_butNullCommand_isRefused() {
    Inner inner = new Inner("x", null);
    Collections1 value =
        new Collections1(
            List.of(), Set.of(), new TreeSet<>(), Map.of(), new TreeMap<>(), Optional.of(inner));
    assertThat(CODEC.decodeCommand(CODEC.encodeCommand(value))).isEqualTo(value);
    assertThatThrownBy(() -> CODEC.encodeResult(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null result");
  }

  /** Two releases of one record: the older bytes are refused by name, not misread. */
  static final class Release1 {
    sealed interface Cmd {}

    record Pay(String loanId, long cents) implements Cmd {}
  }

  static final class Release2 {
    sealed interface Cmd {}

    record Pay(String loanId, long cents, String currency) implements Cmd {}

    record Refund(String loanId) implements Cmd {}
  }

  static final class Release2b {
    sealed interface Cmd {}

    record Pay(String loanId, long cents) implements Cmd {}

    record Refund(String loanId) implements Cmd {}
  }

  @Test
  void changedRecord_isRefusedByName_addedRecord_keepsOldBytesReadable() {
    BinaryCodec<Release1.Cmd, Ok> one = BinaryCodec.of(Release1.Cmd.class, Ok.class);
    byte[] old = one.encodeCommand(new Release1.Pay("L-1", 500));

    BinaryCodec<Release2.Cmd, Ok> changed = BinaryCodec.of(Release2.Cmd.class, Ok.class);
    assertThatThrownBy(() -> changed.decodeCommand(old))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("unknown Cmd type");

    BinaryCodec<Release2b.Cmd, Ok> added = BinaryCodec.of(Release2b.Cmd.class, Ok.class);
    assertThat(added.decodeCommand(old)).isEqualTo(new Release2b.Pay("L-1", 500));
  }

  record WithArray(int[] values) {}

  record WithArrayList(ArrayList<String> values) {}

  record WithObject(Object value) {}

  sealed interface Holder {}

  record Holds(WithArray inner) implements Holder {}

  @Test
  void unsupportedTypes_areRefusedAtConstruction_namingTheComponent() {
    assertThatThrownBy(() -> BinaryCodec.of(Command.class, WithArray.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithArray.values");
    assertThatThrownBy(() -> BinaryCodec.of(Command.class, WithArrayList.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithArrayList.values")
        .hasMessageContaining("declare the interface");
    assertThatThrownBy(() -> BinaryCodec.of(Command.class, WithObject.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithObject.value");
    assertThatThrownBy(() -> BinaryCodec.of(Holder.class, Ok.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithArray.values");
  }

  @Test
  void nonCanonicalNumbers_areMalformed() {
    byte[] bytes = CODEC.encodeCommand(new Empty()); // format + id
    Ok ok = new Ok(1);
    byte[] result = CODEC.encodeResult(ok); // format, id, varint 2
    byte[] padded = java.util.Arrays.copyOf(result, result.length + 1);
    padded[result.length - 1] = (byte) 0x82; // 2 with a continuation
    padded[result.length] = 0x00; // ... and an empty high group
    assertThat(bytes).hasSize(5);
    assertThatThrownBy(() -> CODEC.decodeResult(padded))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("shortest form");
  }
}
