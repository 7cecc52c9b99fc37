package io.steadfast.codec.binary;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link Shape} of a type from its declaration, and holds the shapes of every kind of
 * value the codec supports. Not thread-safe; used by one codec's constructor only.
 */
final class Shapes {

  private final Map<Class<?>, RecordShape> records = new HashMap<>();

  /** The shape of a command or result type: a record, an enum or a sealed interface of records. */
  Shape root(Class<?> type) {
    return shape(type, type.getName());
  }

  private Shape shape(Type type, String where) {
    if (type instanceof ParameterizedType parameterized) {
      return parameterized(parameterized, where);
    }
    if (!(type instanceof Class<?> raw) || type instanceof GenericArrayType) {
      throw unsupported(type, where, "type variables, wildcards and arrays are not supported");
    }
    Shape scalar = scalar(raw);
    if (scalar != null) {
      return scalar;
    }
    if (raw.isEnum()) {
      return new EnumShape(raw);
    }
    if (raw.isRecord()) {
      return record(raw);
    }
    if (raw.isSealed()) {
      return sealed(raw, where);
    }
    if (raw.isArray()) {
      throw unsupported(type, where, "arrays are not supported; use a List");
    }
    if (Collection.class.isAssignableFrom(raw)
        || Map.class.isAssignableFrom(raw)
        || raw == Optional.class) {
      throw unsupported(type, where, "a collection needs its element types (List<String>)");
    }
    throw unsupported(
        type,
        where,
        "supported are records, enums, sealed interfaces of records, primitives and their boxes,"
            + " String, BigDecimal, BigInteger, LocalDate, LocalTime, LocalDateTime, Instant,"
            + " Duration, UUID, Optional, List, Set, SortedSet, Map and SortedMap");
  }

  private static IllegalArgumentException unsupported(Type type, String where, String why) {
    return new IllegalArgumentException(
        "cannot encode " + type.getTypeName() + " (at " + where + "): " + why);
  }

  private Shape parameterized(ParameterizedType type, String where) {
    Class<?> raw = (Class<?>) type.getRawType();
    Type[] arguments = type.getActualTypeArguments();
    if (raw == List.class || raw == Collection.class) {
      return new ListShape(nullable(arguments[0], where + "[]"));
    }
    if (raw == Optional.class) {
      return new OptionalShape(shape(arguments[0], where + ".get()"));
    }
    if (raw == Set.class) {
      return new SetShape(nullable(arguments[0], where + "[]"), false);
    }
    if (raw == SortedSet.class || raw == NavigableSet.class) {
      requireComparable(arguments[0], where);
      return new SetShape(shape(arguments[0], where + "[]"), true);
    }
    if (raw == Map.class) {
      return new MapShape(
          nullable(arguments[0], where + ".key"), nullable(arguments[1], where + ".value"), false);
    }
    if (raw == SortedMap.class || raw == NavigableMap.class) {
      requireComparable(arguments[0], where);
      return new MapShape(
          shape(arguments[0], where + ".key"), nullable(arguments[1], where + ".value"), true);
    }
    throw unsupported(
        type,
        where,
        "of the generic types, List, Collection, Set, SortedSet, NavigableSet, Map, SortedMap,"
            + " NavigableMap and Optional are supported (declare the interface, not ArrayList)");
  }

  private static void requireComparable(Type element, String where) {
    if (!(element instanceof Class<?> c) || !Comparable.class.isAssignableFrom(c)) {
      throw unsupported(element, where, "a sorted collection needs Comparable elements");
    }
  }

  private Shape nullable(Type type, String where) {
    if (type instanceof Class<?> c && c.isPrimitive()) {
      return shape(type, where);
    }
    return new NullableShape(shape(type, where));
  }

  private RecordShape record(Class<?> type) {
    RecordShape known = records.get(type);
    if (known != null) {
      return known;
    }
    RecordShape shape = new RecordShape(type, shapeId(type));
    records.put(type, shape); // before the components: a record may hold itself, via a List
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    MethodHandle[] accessors = new MethodHandle[components.length];
    Shape[] shapes = new Shape[components.length];
    String[] names = new String[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      names[i] = component.getName();
      accessors[i] =
          handle(reachable(component.getAccessor(), type))
              .asType(MethodType.methodType(Object.class, Object.class));
      String where = type.getSimpleName() + "." + component.getName();
      shapes[i] =
          component.getType().isPrimitive()
              ? shape(component.getType(), where)
              : nullable(component.getGenericType(), where);
    }
    Constructor<?> constructor;
    try {
      constructor = type.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
    }
    MethodHandle create =
        handle(reachable(constructor, type))
            .asSpreader(Object[].class, components.length)
            .asType(MethodType.methodType(Object.class, Object[].class));
    shape.complete(names, accessors, shapes, create);
    return shape;
  }

  private static <T extends java.lang.reflect.AccessibleObject> T reachable(
      T member, Class<?> owner) {
    try {
      member.setAccessible(true);
      return member;
    } catch (InaccessibleObjectException | SecurityException e) {
      throw new IllegalArgumentException(
          "cannot reach "
              + owner.getName()
              + ": make it public in an exported package, or open its package to"
              + " io.steadfast.codec.binary",
          e);
    }
  }

  private static MethodHandle handle(java.lang.reflect.AccessibleObject member) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      return member instanceof Method method
          ? lookup.unreflect(method)
          : lookup.unreflectConstructor((Constructor<?>) member);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot reach " + member, e);
    }
  }

  /**
   * A record's identity on the wire: a CRC32C of its simple name and its components' names and
   * types (by simple names, so a package move keeps it). A record written by a release whose
   * components differ is refused by name instead of read into the wrong fields.
   */
  static int shapeId(Class<?> type) {
    StringBuilder signature = new StringBuilder(type.getSimpleName()).append('(');
    for (RecordComponent component : type.getRecordComponents()) {
      signature.append(component.getName()).append(' ');
      appendTypeName(signature, component.getGenericType());
      signature.append(';');
    }
    signature.append(')');
    CRC32C crc = new CRC32C();
    crc.update(signature.toString().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  private static void appendTypeName(StringBuilder out, Type type) {
    if (type instanceof ParameterizedType parameterized) {
      appendTypeName(out, parameterized.getRawType());
      out.append('<');
      Type[] arguments = parameterized.getActualTypeArguments();
      for (int i = 0; i < arguments.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        appendTypeName(out, arguments[i]);
      }
      out.append('>');
    } else if (type instanceof Class<?> c) {
      out.append(c.getSimpleName());
    } else {
      out.append(type.getTypeName());
    }
  }

  private Shape sealed(Class<?> root, String where) {
    Map<Integer, RecordShape> byId = new HashMap<>();
    Map<Class<?>, RecordShape> byClass = new HashMap<>();
    Map<String, Class<?>> byName = new HashMap<>();
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(root);
    while (!pending.isEmpty()) {
      Class<?> type = pending.pop();
      Class<?>[] permitted = type.getPermittedSubclasses();
      if (permitted == null) {
        continue;
      }
      for (Class<?> sub : permitted) {
        if (sub.isSealed() && (sub.isInterface() || Modifier.isAbstract(sub.getModifiers()))) {
          pending.add(sub);
          continue;
        }
        if (!sub.isRecord()) {
          throw unsupported(
              sub,
              where,
              "every concrete subtype of a sealed " + root.getName() + " must be a record");
        }
        Class<?> clash = byName.putIfAbsent(sub.getSimpleName(), sub);
        if (clash != null && clash != sub) {
          throw new IllegalArgumentException(
              "two subtypes of "
                  + root.getName()
                  + " share the simple name "
                  + sub.getSimpleName()
                  + ": "
                  + clash.getName()
                  + " and "
                  + sub.getName());
        }
        RecordShape shape = record(sub);
        RecordShape other = byId.putIfAbsent(shape.id, shape);
        if (other != null && other != shape) {
          throw new IllegalArgumentException(
              sub.getName()
                  + " and "
                  + other.type.getName()
                  + " have the same wire id; rename one");
        }
        byClass.put(sub, shape);
      }
    }
    if (byClass.isEmpty()) {
      throw unsupported(root, where, "a sealed type needs at least one record subtype");
    }
    return new SealedShape(root, byId, byClass);
  }

  private static @Nullable Shape scalar(Class<?> type) {
    if (type == String.class) {
      return STRING;
    }
    if (type == int.class || type == Integer.class) {
      return INT;
    }
    if (type == long.class || type == Long.class) {
      return LONG;
    }
    if (type == boolean.class || type == Boolean.class) {
      return BOOLEAN;
    }
    if (type == BigDecimal.class) {
      return BIG_DECIMAL;
    }
    if (type == LocalDate.class) {
      return LOCAL_DATE;
    }
    if (type == short.class || type == Short.class) {
      return SHORT;
    }
    if (type == byte.class || type == Byte.class) {
      return BYTE;
    }
    if (type == char.class || type == Character.class) {
      return CHAR;
    }
    if (type == double.class || type == Double.class) {
      return DOUBLE;
    }
    if (type == float.class || type == Float.class) {
      return FLOAT;
    }
    if (type == BigInteger.class) {
      return BIG_INTEGER;
    }
    if (type == LocalTime.class) {
      return LOCAL_TIME;
    }
    if (type == LocalDateTime.class) {
      return LOCAL_DATE_TIME;
    }
    if (type == Instant.class) {
      return INSTANT;
    }
    if (type == Duration.class) {
      return DURATION;
    }
    if (type == UUID.class) {
      return UUID_SHAPE;
    }
    return null;
  }

  /** A scalar: writes and reads one value with no nesting. */
  private abstract static class Scalar extends Shape {
    private final String name;

    Scalar(String name) {
      this.name = name;
    }

    @Override
    String name() {
      return name;
    }
  }

  private static final Shape STRING =
      new Scalar("String") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeString((String) value);
        }

        @Override
        Object read(In in, int depth) {
          return in.readString("a String");
        }
      };

  /**
   * A signed integer type written as a zig-zag variable-length number; read back only within {@code
   * min} to {@code max}, boxed by {@code box}.
   */
  private static final class SignedScalar extends Scalar {
    private final long min;
    private final long max;
    private final java.util.function.LongFunction<Object> box;

    SignedScalar(String name, long min, long max, java.util.function.LongFunction<Object> box) {
      super(name);
      this.min = min;
      this.max = max;
      this.box = box;
    }

    @Override
    void write(Out out, Object value, int depth) {
      out.writeSignedVarLong(((Number) value).longValue());
    }

    @Override
    Object read(In in, int depth) {
      long value = in.readSignedVarLong(name());
      if (value < min || value > max) {
        throw new Malformed(name() + " out of range: " + value);
      }
      return box.apply(value);
    }
  }

  private static final Shape INT =
      new SignedScalar("int", Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v);

  private static final Shape LONG =
      new SignedScalar("long", Long.MIN_VALUE, Long.MAX_VALUE, v -> v);

  private static final Shape SHORT =
      new SignedScalar("short", Short.MIN_VALUE, Short.MAX_VALUE, v -> (short) v);

  private static final Shape BYTE =
      new Scalar("byte") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeByte((Byte) value);
        }

        @Override
        Object read(In in, int depth) {
          return (byte) in.readByte("a byte");
        }
      };

  private static final Shape CHAR =
      new Scalar("char") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeVarLong((Character) value);
        }

        @Override
        Object read(In in, int depth) {
          long value = in.readVarLong("a char");
          if (value > Character.MAX_VALUE) {
            throw new Malformed("char out of range: " + value);
          }
          return (char) value;
        }
      };

  private static final Shape BOOLEAN =
      new Scalar("boolean") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeByte((Boolean) value ? 1 : 0);
        }

        @Override
        Object read(In in, int depth) {
          int value = in.readByte("a boolean");
          if (value > 1) {
            throw new Malformed("boolean byte " + value + " is neither 0 nor 1");
          }
          return value == 1;
        }
      };

  /** Doubles by their bits, with every NaN written as the one canonical NaN. */
  private static final Shape DOUBLE =
      new Scalar("double") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeFixedLong(Double.doubleToLongBits((Double) value));
        }

        @Override
        Object read(In in, int depth) {
          return Double.longBitsToDouble(in.readFixedLong("a double"));
        }
      };

  private static final Shape FLOAT =
      new Scalar("float") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeFixedInt(Float.floatToIntBits((Float) value));
        }

        @Override
        Object read(In in, int depth) {
          return Float.intBitsToFloat(in.readFixedInt("a float"));
        }
      };

  /** The unscaled value's two's-complement bytes, then the scale: 1.0 and 1.00 stay distinct. */
  private static final Shape BIG_DECIMAL =
      new Scalar("BigDecimal") {
        @Override
        void write(Out out, Object value, int depth) {
          BigDecimal decimal = (BigDecimal) value;
          BigInteger unscaled = decimal.unscaledValue();
          if (unscaled.bitLength() < 63) {
            out.writeByte(0);
            out.writeSignedVarLong(unscaled.longValue());
          } else {
            byte[] bytes = unscaled.toByteArray();
            out.writeByte(1);
            out.writeVarLong(bytes.length);
            out.writeBytes(bytes);
          }
          out.writeSignedVarLong(decimal.scale());
        }

        @Override
        Object read(In in, int depth) {
          int form = in.readByte("a BigDecimal");
          BigInteger unscaled;
          if (form == 0) {
            long small = in.readSignedVarLong("a BigDecimal");
            if (BigInteger.valueOf(small).bitLength() >= 63) {
              throw new Malformed("BigDecimal's short form holds a number too large for it");
            }
            unscaled = BigInteger.valueOf(small);
          } else if (form == 1) {
            unscaled = readBigInteger(in, "a BigDecimal");
            if (unscaled.bitLength() < 63) {
              throw new Malformed("BigDecimal's long form holds a number that fits the short one");
            }
          } else {
            throw new Malformed("unknown BigDecimal form " + form);
          }
          long scale = in.readSignedVarLong("a BigDecimal's scale");
          if (scale != (int) scale) {
            throw new Malformed("BigDecimal scale out of range: " + scale);
          }
          return new BigDecimal(unscaled, (int) scale);
        }
      };

  private static BigInteger readBigInteger(In in, String what) {
    int length = in.readLength(what);
    if (length == 0) {
      throw new Malformed("empty number in " + what);
    }
    byte[] bytes = in.readBytes(length, what);
    BigInteger value = new BigInteger(bytes);
    if (!Arrays.equals(value.toByteArray(), bytes)) {
      throw new Malformed("number not in its shortest form in " + what);
    }
    return value;
  }

  private static final Shape BIG_INTEGER =
      new Scalar("BigInteger") {
        @Override
        void write(Out out, Object value, int depth) {
          byte[] bytes = ((BigInteger) value).toByteArray();
          out.writeVarLong(bytes.length);
          out.writeBytes(bytes);
        }

        @Override
        Object read(In in, int depth) {
          return readBigInteger(in, "a BigInteger");
        }
      };

  private static final Shape LOCAL_DATE =
      new Scalar("LocalDate") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeSignedVarLong(((LocalDate) value).toEpochDay());
        }

        @Override
        Object read(In in, int depth) {
          long day = in.readSignedVarLong("a LocalDate");
          try {
            return LocalDate.ofEpochDay(day);
          } catch (DateTimeException e) {
            throw new Malformed("LocalDate out of range: epoch day " + day);
          }
        }
      };

  private static final Shape LOCAL_TIME =
      new Scalar("LocalTime") {
        @Override
        void write(Out out, Object value, int depth) {
          out.writeVarLong(((LocalTime) value).toNanoOfDay());
        }

        @Override
        Object read(In in, int depth) {
          long nanos = in.readVarLong("a LocalTime");
          try {
            return LocalTime.ofNanoOfDay(nanos);
          } catch (DateTimeException e) {
            throw new Malformed("LocalTime out of range: nano of day " + nanos);
          }
        }
      };

  private static final Shape LOCAL_DATE_TIME =
      new Scalar("LocalDateTime") {
        @Override
        void write(Out out, Object value, int depth) {
          LocalDateTime time = (LocalDateTime) value;
          LOCAL_DATE.write(out, time.toLocalDate(), depth);
          LOCAL_TIME.write(out, time.toLocalTime(), depth);
        }

        @Override
        Object read(In in, int depth) {
          LocalDate date = (LocalDate) LOCAL_DATE.read(in, depth);
          return LocalDateTime.of(date, (LocalTime) LOCAL_TIME.read(in, depth));
        }
      };

  private static final Shape INSTANT =
      new Scalar("Instant") {
        @Override
        void write(Out out, Object value, int depth) {
          Instant instant = (Instant) value;
          out.writeSignedVarLong(instant.getEpochSecond());
          out.writeVarLong(instant.getNano());
        }

        @Override
        Object read(In in, int depth) {
          long seconds = in.readSignedVarLong("an Instant");
          long nanos = in.readVarLong("an Instant");
          if (nanos >= 1_000_000_000L) {
            throw new Malformed("Instant nanoseconds out of range: " + nanos);
          }
          try {
            return Instant.ofEpochSecond(seconds, nanos);
          } catch (DateTimeException e) {
            throw new Malformed("Instant out of range: " + seconds + " s");
          }
        }
      };

  private static final Shape DURATION =
      new Scalar("Duration") {
        @Override
        void write(Out out, Object value, int depth) {
          Duration duration = (Duration) value;
          out.writeSignedVarLong(duration.getSeconds());
          out.writeVarLong(duration.getNano());
        }

        @Override
        Object read(In in, int depth) {
          long seconds = in.readSignedVarLong("a Duration");
          long nanos = in.readVarLong("a Duration");
          if (nanos >= 1_000_000_000L) {
            throw new Malformed("Duration nanoseconds out of range: " + nanos);
          }
          return Duration.ofSeconds(seconds, nanos);
        }
      };

  private static final Shape UUID_SHAPE =
      new Scalar("UUID") {
        @Override
        void write(Out out, Object value, int depth) {
          UUID uuid = (UUID) value;
          out.writeFixedLong(uuid.getMostSignificantBits());
          out.writeFixedLong(uuid.getLeastSignificantBits());
        }

        @Override
        Object read(In in, int depth) {
          return new UUID(in.readFixedLong("a UUID"), in.readFixedLong("a UUID"));
        }
      };

  /** An enum constant by its name, so that reordering or adding constants changes nothing. */
  private static final class EnumShape extends Shape {
    private final Class<?> type;
    private final Map<String, Object> byName = new HashMap<>();

    EnumShape(Class<?> type) {
      this.type = type;
      for (Object constant : type.getEnumConstants()) {
        byName.put(((Enum<?>) constant).name(), constant);
      }
    }

    @Override
    String name() {
      return type.getSimpleName();
    }

    @Override
    void write(Out out, Object value, int depth) {
      out.writeString(((Enum<?>) value).name());
    }

    @Override
    Object read(In in, int depth) {
      String name = in.readString(type.getSimpleName());
      Object constant = byName.get(name);
      if (constant == null) {
        throw new Malformed("unknown " + type.getSimpleName() + " constant '" + name + "'");
      }
      return constant;
    }
  }

  /** A reference that may be null: a byte 0 (null) or 1 (a value follows). */
  private static final class NullableShape extends Shape {
    private final Shape value;

    NullableShape(Shape value) {
      this.value = value;
    }

    @Override
    String name() {
      return value.name();
    }

    @Override
    void write(Out out, @Nullable Object value, int depth) {
      if (value == null) {
        out.writeByte(0);
      } else {
        out.writeByte(1);
        this.value.write(out, value, depth);
      }
    }

    @Override
    @SuppressWarnings("NullAway") // null is this shape's value for an absent reference
    Object read(In in, int depth) {
      int marker = in.readByte(value.name());
      if (marker == 0) {
        return null;
      }
      if (marker != 1) {
        throw new Malformed(
            "presence byte " + marker + " before " + value.name() + " is neither 0 nor 1");
      }
      return value.read(in, depth);
    }
  }

  private static final class OptionalShape extends Shape {
    private final Shape value;

    OptionalShape(Shape value) {
      this.value = value;
    }

    @Override
    String name() {
      return "Optional<" + value.name() + ">";
    }

    @Override
    void write(Out out, Object value, int depth) {
      Optional<?> optional = (Optional<?>) value;
      if (optional.isEmpty()) {
        out.writeByte(0);
      } else {
        out.writeByte(1);
        this.value.write(out, optional.get(), deeper(depth, name()));
      }
    }

    @Override
    Object read(In in, int depth) {
      int marker = in.readByte(name());
      if (marker == 0) {
        return Optional.empty();
      }
      if (marker != 1) {
        throw new Malformed("presence byte " + marker + " of " + name() + " is neither 0 nor 1");
      }
      return Optional.of(value.read(in, deeperRead(depth, name())));
    }
  }

  /** A count, then each element (every element takes at least one byte: the count is bounded). */
  private static final class ListShape extends Shape {
    private final Shape element;

    ListShape(Shape element) {
      this.element = element;
    }

    @Override
    String name() {
      return "List<" + element.name() + ">";
    }

    @Override
    void write(Out out, Object value, int depth) {
      Collection<?> list = (Collection<?>) value;
      int next = deeper(depth, name());
      out.writeVarLong(list.size());
      for (Object item : list) {
        element.write(out, item, next);
      }
    }

    @Override
    Object read(In in, int depth) {
      int next = deeperRead(depth, name());
      int count = in.readLength(name());
      List<Object> list = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        list.add(element.read(in, next));
      }
      return Collections.unmodifiableList(list);
    }
  }

  /**
   * Elements in the order of their encoded bytes, so that equal sets give equal bytes whatever
   * their iteration order. Read back as an unmodifiable set in that order, or sorted naturally for
   * a declared {@code SortedSet}; a repeated element is malformed.
   */
  private static final class SetShape extends Shape {
    private final Shape element;
    private final boolean sorted;

    SetShape(Shape element, boolean sorted) {
      this.element = element;
      this.sorted = sorted;
    }

    @Override
    String name() {
      return (sorted ? "SortedSet<" : "Set<") + element.name() + ">";
    }

    @Override
    void write(Out out, Object value, int depth) {
      Collection<?> set = (Collection<?>) value;
      int next = deeper(depth, name());
      out.writeVarLong(set.size());
      int start = out.size();
      List<byte[]> encoded = new ArrayList<>(set.size());
      for (Object item : set) {
        int from = out.size();
        element.write(out, item, next);
        encoded.add(out.copy(from));
      }
      out.truncate(start);
      encoded.sort(Arrays::compareUnsigned);
      for (byte[] item : encoded) {
        out.writeBytes(item);
      }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object read(In in, int depth) {
      int next = deeperRead(depth, name());
      int count = in.readLength(name());
      Set<Object> set = sorted ? new TreeSet<>() : new LinkedHashSet<>();
      for (int i = 0; i < count; i++) {
        if (!set.add(element.read(in, next))) {
          throw new Malformed("repeated element in " + name());
        }
      }
      return sorted
          ? Collections.unmodifiableNavigableSet((NavigableSet) set)
          : Collections.unmodifiableSet(set);
    }
  }

  /** Entries in the order of their encoded keys, like {@link SetShape}. */
  private static final class MapShape extends Shape {
    private final Shape key;
    private final Shape value;
    private final boolean sorted;

    MapShape(Shape key, Shape value, boolean sorted) {
      this.key = key;
      this.value = value;
      this.sorted = sorted;
    }

    @Override
    String name() {
      return (sorted ? "SortedMap<" : "Map<") + key.name() + "," + value.name() + ">";
    }

    @Override
    void write(Out out, Object map, int depth) {
      Map<?, ?> entries = (Map<?, ?>) map;
      int next = deeper(depth, name());
      out.writeVarLong(entries.size());
      int start = out.size();
      List<byte[][]> encoded = new ArrayList<>(entries.size());
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        int from = out.size();
        key.write(out, entry.getKey(), next);
        byte[] k = out.copy(from);
        int middle = out.size();
        value.write(out, entry.getValue(), next);
        encoded.add(new byte[][] {k, out.copy(middle)});
      }
      out.truncate(start);
      encoded.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
      for (byte[][] entry : encoded) {
        out.writeBytes(entry[0]);
        out.writeBytes(entry[1]);
      }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object read(In in, int depth) {
      int next = deeperRead(depth, name());
      int count = in.readLength(name());
      Map<Object, Object> map = sorted ? new TreeMap<>() : new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        Object k = key.read(in, next);
        if (map.containsKey(k)) {
          throw new Malformed("repeated key in " + name());
        }
        map.put(k, value.read(in, next));
      }
      return sorted
          ? Collections.unmodifiableNavigableMap((NavigableMap) map)
          : Collections.unmodifiableMap(map);
    }
  }

  /**
   * A record: its 4-byte {@linkplain #shapeId wire id}, then its components in declaration order.
   * Read through the canonical constructor, so the record's own checks run on every decoded value.
   */
  static final class RecordShape extends Shape {
    final Class<?> type;
    final int id;
    private String[] names = new String[0];
    private MethodHandle[] accessors = new MethodHandle[0];
    private Shape[] components = new Shape[0];
    private @Nullable MethodHandle create;

    RecordShape(Class<?> type, int id) {
      this.type = type;
      this.id = id;
    }

    void complete(
        String[] names, MethodHandle[] accessors, Shape[] components, MethodHandle create) {
      this.names = names;
      this.accessors = accessors;
      this.components = components;
      this.create = create;
    }

    @Override
    String name() {
      return type.getSimpleName();
    }

    @Override
    void write(Out out, Object value, int depth) {
      out.writeFixedInt(id);
      writeBody(out, value, depth);
    }

    void writeBody(Out out, Object value, int depth) {
      int next = deeper(depth, name());
      for (int i = 0; i < components.length; i++) {
        Object component;
        try {
          component = (Object) accessors[i].invokeExact(value);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException("accessor " + names[i] + " of " + name() + " failed", e);
        }
        if (component == null && !(components[i] instanceof NullableShape)) {
          throw new IllegalArgumentException(name() + "." + names[i] + " is null");
        }
        components[i].write(out, component, next);
      }
    }

    @Override
    Object read(In in, int depth) {
      int found = in.readFixedInt(name());
      if (found != id) {
        throw new Malformed(
            "expected a "
                + name()
                + " (wire id "
                + Integer.toHexString(id)
                + ") but found wire id "
                + Integer.toHexString(found)
                + ": written by a release whose "
                + name()
                + " had other components, or damaged");
      }
      return readBody(in, depth);
    }

    @SuppressWarnings("NullAway") // components may be null; the record's constructor decides
    Object readBody(In in, int depth) {
      int next = deeperRead(depth, name());
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        values[i] = components[i].read(in, next);
      }
      MethodHandle constructor = java.util.Objects.requireNonNull(create);
      try {
        return (Object) constructor.invokeExact(values);
      } catch (RuntimeException e) {
        throw new Malformed(
            "invalid " + name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()),
            e);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new Malformed("invalid " + name() + ": " + e, e);
      }
    }
  }

  /** A sealed type: the concrete record's wire id tells which record follows. */
  private static final class SealedShape extends Shape {
    private final Class<?> root;
    private final Map<Integer, RecordShape> byId;
    private final Map<Class<?>, RecordShape> byClass;

    SealedShape(Class<?> root, Map<Integer, RecordShape> byId, Map<Class<?>, RecordShape> byClass) {
      this.root = root;
      this.byId = byId;
      this.byClass = byClass;
    }

    @Override
    String name() {
      return root.getSimpleName();
    }

    @Override
    void write(Out out, Object value, int depth) {
      RecordShape shape = byClass.get(value.getClass());
      if (shape == null) {
        throw new IllegalArgumentException(
            value.getClass().getName() + " is not a record permitted by " + root.getName());
      }
      shape.write(out, value, depth);
    }

    @Override
    Object read(In in, int depth) {
      int id = in.readFixedInt(name());
      RecordShape shape = byId.get(id);
      if (shape == null) {
        throw new Malformed(
            "unknown "
                + name()
                + " type (wire id "
                + Integer.toHexString(id)
                + "): a record this release does not have, one whose components changed, or"
                + " damage");
      }
      return shape.readBody(in, depth);
    }
  }
}
