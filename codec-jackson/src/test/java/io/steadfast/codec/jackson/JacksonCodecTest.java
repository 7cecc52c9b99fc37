package io.steadfast.codec.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.MalformedCommandException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JacksonCodecTest {

  sealed interface Command {}

  record Pay(String account, BigDecimal amount, LocalDate on) implements Command {}

  record Tag(Map<String, Integer> counts) implements Command {}

  private final JacksonCodec<Command, String> codec = JacksonCodec.of(Command.class, String.class);

  @Test
  void roundTrip_sealedSubtypes_byTheirSimpleName() {
    Pay pay = new Pay("a-1", new BigDecimal("12.50"), LocalDate.of(2026, 12, 3));
    byte[] bytes = codec.encodeCommand(pay);

    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .contains("\"@type\":\"Pay\"")
        .contains("\"on\":\"2026-12-03\"")
        .contains("12.50");
    assertThat(codec.decodeCommand(bytes)).isEqualTo(pay);
  }

  @Test
  void encode_isCanonical_whateverTheMapOrderOrLocale() {
    Map<String, Integer> ascending = new TreeMap<>(Map.of("a", 1, "b", 2, "c", 3));
    Map<String, Integer> descending = new TreeMap<>(java.util.Comparator.reverseOrder());
    descending.putAll(ascending);
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      byte[] first = codec.encodeCommand(new Tag(ascending));
      Locale.setDefault(Locale.GERMANY);
      assertThat(codec.encodeCommand(new Tag(descending))).isEqualTo(first);
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void decode_unknownTypeEmptyOrGarbage_isMalformedNamingTheProblem() {
    assertThatThrownBy(
            () -> codec.decodeCommand("{\"@type\":\"Launder\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("Launder");
    assertThatThrownBy(() -> codec.decodeCommand(new byte[0]))
        .isInstanceOf(MalformedCommandException.class);
    assertThatThrownBy(() -> codec.decodeCommand(new byte[] {1, 2, 3}))
        .isInstanceOf(MalformedCommandException.class);
    assertThatThrownBy(
            () ->
                codec.decodeCommand(
                    "{\"@type\":\"Pay\",\"account\":\"a\",\"amount\":1,\"on\":\"2026-12-03\",\"extra\":1}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedCommandException.class);
  }
}
