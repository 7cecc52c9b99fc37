package io.steadfast.runtime.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The array reader and writer against the JDK's data streams they replace on the wire. */
class ByteReaderWriterTest {

  private interface Writing {
    void write(DataOutput out) throws IOException;
  }

  private interface Reading {
    Object read(DataInput in) throws IOException;
  }

  /** One value written through {@link DataOutput} and read back through {@link DataInput}. */
  private record Op(Writing write, Reading read) {}

  private static Op randomOp(Random random) {
    long value = random.nextLong();
    return switch (random.nextInt(11)) {
      case 0 -> new Op(out -> out.writeBoolean(value % 2 == 0), DataInput::readBoolean);
      case 1 -> new Op(out -> out.writeByte((int) value), DataInput::readByte);
      case 2 -> new Op(out -> out.writeByte((int) value), DataInput::readUnsignedByte);
      case 3 -> new Op(out -> out.writeShort((int) value), DataInput::readShort);
      case 4 -> new Op(out -> out.writeShort((int) value), DataInput::readUnsignedShort);
      case 5 -> new Op(out -> out.writeChar((int) value), DataInput::readChar);
      case 6 -> new Op(out -> out.writeInt((int) value), DataInput::readInt);
      case 7 -> new Op(out -> out.writeLong(value), DataInput::readLong);
      case 8 -> new Op(out -> out.writeDouble(Double.longBitsToDouble(value)), DataInput::readLong);
      case 9 -> {
        String text = "é-" + value + "-\u20ac";
        yield new Op(out -> out.writeUTF(text), DataInput::readUTF);
      }
      default -> {
        byte[] bytes = new byte[random.nextInt(700)];
        random.nextBytes(bytes);
        yield new Op(
            out -> {
              out.writeInt(bytes.length);
              out.write(bytes);
            },
            in -> {
              byte[] read = new byte[in.readInt()];
              in.readFully(read);
              return List.of(read.length, java.util.Arrays.hashCode(read));
            });
      }
    };
  }

  @Test
  void writesAndReadsTheSameBytesAsTheJdkStreams_growingFromTheSmallestArray() throws IOException {
    Random random = new Random(23);
    for (int round = 0; round < 200; round++) {
      List<Op> ops = new ArrayList<>();
      for (int i = random.nextInt(40); i > 0; i--) {
        ops.add(randomOp(random));
      }
      ByteWriter ours = new ByteWriter(0);
      ByteArrayOutputStream jdkBytes = new ByteArrayOutputStream();
      DataOutputStream jdk = new DataOutputStream(jdkBytes);
      for (Op op : ops) {
        op.write().write(ours);
        op.write().write(jdk);
      }
      byte[] written = ours.toByteArray();
      assertThat(written).as("round %d", round).isEqualTo(jdkBytes.toByteArray());

      ByteReader reader = new ByteReader(written);
      DataInputStream reference = new DataInputStream(new ByteArrayInputStream(written));
      for (Op op : ops) {
        assertThat(op.read().read(reader)).isEqualTo(op.read().read(reference));
        assertThat(reader.remaining()).isEqualTo(reference.available());
      }
      assertThat(reader.remaining()).isZero();
    }
  }

  @Test
  void readingPastTheEnd_throwsEofException_andTheArrayIsNotOverrun() throws IOException {
    ByteReader reader = new ByteReader(new byte[] {0, 0, 1});
    assertThatThrownBy(reader::readInt)
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("3 left");
    assertThat(reader.readUnsignedShort()).isZero(); // a failed read takes nothing
    assertThatThrownBy(() -> reader.readFully(new byte[2])).isInstanceOf(EOFException.class);
    assertThat(reader.readByte()).isEqualTo((byte) 1);
    assertThatThrownBy(reader::readLong).isInstanceOf(EOFException.class);
    assertThat(reader.skipBytes(5)).isZero();
    assertThat(reader.readLine()).isNull();
  }

  @Test
  void readString_refusesALengthBeyondTheBytesLeft_beforeAllocating() {
    byte[] claimsTooMuch = {0, 0, 0, 100, 'a', 'b'};
    assertThatThrownBy(() -> WireFormat.readString(new ByteReader(claimsTooMuch)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exceeds the 2 bytes left");
  }
}
