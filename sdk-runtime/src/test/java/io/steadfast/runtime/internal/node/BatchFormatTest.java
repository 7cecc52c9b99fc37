package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The batch bodies: round trips, and every damaged body refused as an {@link IOException}. */
class BatchFormatTest {

  private static final List<Request> REQUESTS =
      List.of(
          Request.open(SessionId.of("s-1"), Principal.of("alice", "clerk"), Duration.ofMinutes(5)),
          Request.command(SessionId.of("s-1"), 1, new byte[] {1, 2, 3}),
          Request.command(SessionId.of("s-2"), 7, new byte[0]),
          Request.close(SessionId.of("s-1"), 2));

  private static byte[] batch(List<Request> requests) {
    return BatchFormat.encodeRequests(requests.stream().map(WireFormat::encodeRequest).toList());
  }

  @Test
  void requestsAndItems_roundTrip() throws Exception {
    List<Request> decoded = BatchFormat.decodeRequests(batch(REQUESTS), 64);
    assertThat(decoded.stream().map(WireFormat::encodeRequest).toList())
        .usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(REQUESTS.stream().map(WireFormat::encodeRequest).toList());

    List<BatchFormat.Item> items =
        List.of(
            new BatchFormat.Item(200, new byte[] {9, 8}),
            new BatchFormat.Item(
                421, "{\"primary\":\"n2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            new BatchFormat.Item(403, new byte[0]));
    List<BatchFormat.Item> back = BatchFormat.decodeItems(BatchFormat.encodeItems(items), 3);
    assertThat(back).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(back.get(i).status()).isEqualTo(items.get(i).status());
      assertThat(back.get(i).body()).isEqualTo(items.get(i).body());
    }
  }

  @Test
  void countsOutsideTheBounds_areRefused() {
    assertThatThrownBy(() -> BatchFormat.decodeRequests(batch(REQUESTS), 3))
        .isInstanceOf(BatchFormat.TooManyException.class)
        .hasMessageContaining("a batch of 4 requests; at most 3");
    assertThatThrownBy(() -> BatchFormat.decodeRequests(ByteBuffer.allocate(4).array(), 64))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a batch of 0 requests");
    // A count no body of this size could hold is refused before anything is sized by it.
    byte[] boastful = ByteBuffer.allocate(12).putInt(Integer.MAX_VALUE).array();
    assertThatThrownBy(() -> BatchFormat.decodeRequests(boastful, Integer.MAX_VALUE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a batch of 2147483647 requests in 12 bytes");
    assertThatThrownBy(() -> BatchFormat.decodeRequests(new byte[0], 64))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ends early");
    assertThatThrownBy(
            () ->
                BatchFormat.decodeItems(
                    BatchFormat.encodeItems(List.of(new BatchFormat.Item(200, new byte[0]))), 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answer of 1 items to a batch of 2");
  }

  @Test
  void lengthsPastTheEnd_trailingBytes_andUnreadableRequests_areRefused() {
    byte[] good = batch(REQUESTS);
    ByteBuffer.wrap(good).putInt(4, Integer.MAX_VALUE);
    assertThatThrownBy(() -> BatchFormat.decodeRequests(good, 64))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("item 0 claims");
    byte[] trailing = java.util.Arrays.copyOf(batch(REQUESTS), batch(REQUESTS).length + 1);
    assertThatThrownBy(() -> BatchFormat.decodeRequests(trailing, 64))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1 bytes after the last item");
    byte[] garbage = BatchFormat.encodeRequests(List.of(new byte[] {(byte) 0xFF, 1, 2}));
    assertThatThrownBy(() -> BatchFormat.decodeRequests(garbage, 64))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("request 0 is unreadable");
  }

  /** Seeded damage to sound bodies: each decodes whole or is an IOException, nothing else. */
  @Test
  void damagedBodies_decodeWholeOrFailWithIoException() {
    Random random = new Random(20261206L);
    byte[] sound = batch(REQUESTS);
    for (int round = 0; round < 20_000; round++) {
      byte[] body =
          random.nextInt(4) == 0
              ? java.util.Arrays.copyOf(sound, random.nextInt(sound.length + 8))
              : sound.clone();
      for (int flips = 1 + random.nextInt(4); flips > 0 && body.length > 0; flips--) {
        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }
      try {
        assertThat(BatchFormat.decodeRequests(body, 64)).isNotEmpty();
      } catch (IOException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
    }
  }
}
