package io.steadfast.testkit.pure;

import io.steadfast.api.codec.CommandCodec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Copies of a record command with one component set to a value businesses usually refuse: zero or
 * minus one for a number, the empty string, or null for any other reference. JR-3 applies them to
 * reach the rejection paths a workload's own invalid commands miss (a sale at price zero, a
 * transfer of minus one). A copy the record's constructor refuses, or the codec cannot carry, is
 * left out: the runtime would have refused it at the door.
 *
 * <p>Stateless; the record's canonical constructor is called through reflection.
 */
final class BoundaryVariants {

  /** At most this many variants of one command. */
  static final int LIMIT = 12;

  /** One variant: the command and which component was changed to what. */
  record Variant<C>(C command, String change) {}

  private BoundaryVariants() {}

  /** The variants of {@code command}; empty if it is not a record. */
  // A variant puts null into one constructor argument on purpose (JSpecify mode sees the array).
  @SuppressWarnings("NullAway")
  static <C, R> List<Variant<C>> of(C command, CommandCodec<C, R> codec) {
    Class<?> type = command.getClass();
    if (!type.isRecord()) {
      return List.of();
    }
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Constructor<?> constructor;
    try {
      for (int i = 0; i < components.length; i++) {
        var accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        values[i] = accessor.invoke(command);
      }
      constructor =
          type.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      constructor.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return List.of();
    }
    List<Variant<C>> variants = new ArrayList<>();
    for (int i = 0; i < components.length && variants.size() < LIMIT; i++) {
      for (Object value : boundaries(components[i].getType())) {
        if (variants.size() >= LIMIT || Objects.equals(value, values[i])) {
          continue;
        }
        Object[] changed = values.clone();
        changed[i] = value;
        C variant = build(constructor, changed, codec, command);
        if (variant != null) {
          variants.add(
              new Variant<>(
                  variant,
                  components[i].getName() + " = " + (value instanceof String ? "\"\"" : value)));
        }
      }
    }
    return variants;
  }

  private static <C, R> @Nullable C build(
      Constructor<?> constructor, Object[] values, CommandCodec<C, R> codec, C original) {
    try {
      @SuppressWarnings("unchecked")
      C built = (C) constructor.newInstance(values);
      if (!original.getClass().isInstance(built)) {
        return null;
      }
      // Through the codec, as the runtime receives it: what it cannot carry never reaches apply.
      return codec.decodeCommand(codec.encodeCommand(built));
    } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<@Nullable Object> boundaries(Class<?> type) {
    List<@Nullable Object> values = new ArrayList<>();
    if (type == int.class || type == Integer.class) {
      values.addAll(List.of(0, -1));
    } else if (type == long.class || type == Long.class) {
      values.addAll(List.of(0L, -1L));
    } else if (type == short.class || type == Short.class) {
      values.addAll(List.of((short) 0, (short) -1));
    } else if (type == byte.class || type == Byte.class) {
      values.addAll(List.of((byte) 0, (byte) -1));
    } else if (type == double.class || type == Double.class) {
      values.addAll(List.of(0.0d, -1.0d));
    } else if (type == float.class || type == Float.class) {
      values.addAll(List.of(0.0f, -1.0f));
    } else if (type == BigDecimal.class) {
      values.addAll(List.of(BigDecimal.ZERO, BigDecimal.ONE.negate()));
    } else if (type == BigInteger.class) {
      values.addAll(List.of(BigInteger.ZERO, BigInteger.ONE.negate()));
    } else if (type == String.class) {
      values.add("");
    }
    if (!type.isPrimitive()) {
      values.add(null);
    }
    return values;
  }
}
