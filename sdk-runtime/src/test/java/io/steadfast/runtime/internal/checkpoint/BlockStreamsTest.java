package io.steadfast.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockStreamsTest {

  /** A write size: mostly small, sometimes around or beyond a block. */
  private static int size(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(8);
      case 1 -> random.nextInt(300);
      case 2 -> BlockOutputStream.BLOCK - 2 + random.nextInt(4);
      default -> random.nextInt(3 * BlockOutputStream.BLOCK);
    };
  }

  @Test
  void blockOutput_passesOnExactlyWhatWasWritten_inOrder_whateverTheWriteSizes()
      throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      ByteArrayOutputStream below = new ByteArrayOutputStream();
      BlockOutputStream out = new BlockOutputStream(below);
      for (int op = 0; op < 400; op++) {
        if (random.nextInt(3) == 0) {
          int b = random.nextInt(256);
          out.write(b);
          expected.write(b);
        } else {
          byte[] bytes = new byte[size(random) + 5];
          random.nextBytes(bytes);
          int off = random.nextInt(3);
          int len = bytes.length - off - random.nextInt(3);
          out.write(bytes, off, len);
          expected.write(bytes, off, len);
        }
        if (random.nextInt(50) == 0) {
          out.flush();
          assertThat(below.toByteArray()).isEqualTo(expected.toByteArray());
        }
        // Never more than a block held back.
        assertThat(expected.size() - below.size()).isLessThanOrEqualTo(BlockOutputStream.BLOCK);
      }
      out.flush();
      assertThat(below.toByteArray()).as("seed %d", seed).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void blockInput_readsBackEveryByte_throughSingleReadsArrayReadsAndSkips() throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      byte[] source = new byte[random.nextInt(5 * BlockOutputStream.BLOCK)];
      random.nextBytes(source);
      BlockInputStream in = new BlockInputStream(new ByteArrayInputStream(source));
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      int at = 0;
      while (true) {
        int choice = random.nextInt(5);
        if (choice == 0) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          assertThat((byte) b).isEqualTo(source[at]);
          read.write(b);
          at++;
        } else if (choice == 1) {
          long n = in.skip(random.nextInt(100));
          assertThat(n).isBetween(0L, (long) (source.length - at));
          read.write(source, at, (int) n);
          at += (int) n;
        } else {
          byte[] into = new byte[size(random) + 1];
          int n = in.read(into, 0, into.length);
          if (n < 0) {
            break;
          }
          assertThat(Arrays.copyOf(into, n)).isEqualTo(Arrays.copyOfRange(source, at, at + n));
          read.write(into, 0, n);
          at += n;
        }
      }
      assertThat(at).as("seed %d", seed).isEqualTo(source.length);
      assertThat(read.toByteArray()).isEqualTo(source);
      assertThat(in.read()).isEqualTo(-1);
    }
  }
}
