package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.MalformedCommandException;
import io.steadfast.codec.jackson.JacksonCodec;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CodecTest {

  private final JacksonCodec<CollectionCommand, CollectionResult> codec =
      LoanCollectionApplication.codec();

  @Test
  void samples_coverEveryCommandAndResultType() {
    assertThat(
            Samples.commands().stream()
                .map(c -> c.getClass().getSimpleName())
                .collect(Collectors.toSet()))
        .isEqualTo(Samples.leaves(CollectionCommand.class));
    assertThat(
            Samples.results().stream()
                .map(r -> r.getClass().getSimpleName())
                .collect(Collectors.toSet()))
        .isEqualTo(Samples.leaves(CollectionResult.class));
  }

  @Test
  void encodeCommand_everyType_roundTripsToAnEqualValueAndIdenticalBytes() {
    for (CollectionCommand command : Samples.commands()) {
      byte[] bytes = codec.encodeCommand(command);
      CollectionCommand decoded = codec.decodeCommand(bytes);

      assertThat(decoded).as(command.getClass().getSimpleName()).isEqualTo(command);
      assertThat(codec.encodeCommand(decoded)).isEqualTo(bytes);
      assertThat(new String(bytes, StandardCharsets.UTF_8))
          .contains("\"@type\":\"" + command.getClass().getSimpleName() + "\"");
    }
  }

  @Test
  void encodeResult_everyType_roundTripsToAnEqualValueAndIdenticalBytes() {
    for (CollectionResult result : Samples.results()) {
      byte[] bytes = codec.encodeResult(result);
      CollectionResult decoded = codec.decodeResult(bytes);

      assertThat(decoded).as(result.getClass().getSimpleName()).isEqualTo(result);
      assertThat(codec.encodeResult(decoded)).isEqualTo(bytes);
    }
  }

  @Test
  void decodeCommand_unknownType_isMalformed() {
    byte[] bytes =
        "{\"@type\":\"ForgiveDebt\",\"accountId\":\"ACC-1\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("ForgiveDebt");
  }

  @Test
  void decodeCommand_valueTheRecordRefuses_isMalformed() {
    byte[] bytes =
        "{\"@type\":\"PostPayment\",\"accountId\":\"ACC-1\",\"amount\":10.001,\"paymentReference\":\"P-1\"}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("amount");
  }

  @Test
  void encodeCommand_amountsInDifferentScales_encodeIdentically() {
    var a = new CollectionCommand.PostPayment("P-1", "ACC-1", new java.math.BigDecimal("10.5"));
    var b = new CollectionCommand.PostPayment("P-1", "ACC-1", new java.math.BigDecimal("10.500"));

    assertThat(codec.encodeCommand(a)).isEqualTo(codec.encodeCommand(b));
  }
}
