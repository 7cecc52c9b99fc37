package io.steadfast.examples.collection;

import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * Typed checkpoint fields this application writes beyond the writer's own: dates as epoch days,
 * optional values behind a presence flag, enums by name, amounts checked for scale 2 on reading.
 */
final class CheckpointFields {

  private CheckpointFields() {}

  static void writeDate(CheckpointWriter out, LocalDate date) throws IOException {
    out.writeLong(date.toEpochDay());
  }

  static LocalDate readDate(CheckpointReader in) throws IOException {
    long epochDay = in.readLong();
    try {
      return LocalDate.ofEpochDay(epochDay);
    } catch (DateTimeException e) {
      throw new IOException("date out of range: epoch day " + epochDay, e);
    }
  }

  static void writeOptionalDate(CheckpointWriter out, @Nullable LocalDate date) throws IOException {
    out.writeBoolean(date != null);
    if (date != null) {
      writeDate(out, date);
    }
  }

  static @Nullable LocalDate readOptionalDate(CheckpointReader in) throws IOException {
    return in.readBoolean() ? readDate(in) : null;
  }

  static void writeOptionalEnum(CheckpointWriter out, @Nullable Enum<?> value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeString(value.name());
    }
  }

  static <E extends Enum<E>> @Nullable E readOptionalEnum(CheckpointReader in, Class<E> type)
      throws IOException {
    return in.readBoolean() ? readEnum(in, type) : null;
  }

  static <E extends Enum<E>> E readEnum(CheckpointReader in, Class<E> type) throws IOException {
    String name = in.readString();
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown " + type.getSimpleName() + " '" + name + "'", e);
    }
  }

  static BigDecimal readCents(CheckpointReader in, String field) throws IOException {
    BigDecimal value = in.readDecimal();
    if (value.scale() != 2 || value.signum() < 0) {
      throw new IOException(field + " must be non-negative cents with scale 2: " + value);
    }
    return value;
  }

  static int readCount(CheckpointReader in, String field) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new IOException(field + " must not be negative: " + count);
    }
    return count;
  }
}
