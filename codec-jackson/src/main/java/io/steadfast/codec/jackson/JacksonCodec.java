package io.steadfast.codec.jackson;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.util.StdConverter;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.codec.CommandCodec;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CommandCodec} that writes commands and results as JSON.
 *
 * <p>A sealed command (or result) type is encoded with a {@code "@type"} property holding the
 * simple name of the concrete subtype, found by walking the sealed hierarchy, so applications need
 * no Jackson annotations. Properties are sorted and map entries ordered by key, decimals are
 * written plainly and read exactly, {@code java.time} values are written as ISO-8601 text: equal
 * values always give equal bytes, in any locale. Unknown properties, unknown subtypes and missing
 * constructor properties are {@link MalformedCommandException malformed}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class JacksonCodec<C, R> implements CommandCodec<C, R> {

  private static final String TYPE_PROPERTY = "@type";

  private final Class<C> commandType;
  private final Class<R> resultType;
  private final ObjectWriter commandWriter;
  private final ObjectReader commandReader;
  private final ObjectWriter resultWriter;
  private final ObjectReader resultReader;

  private JacksonCodec(Class<C> commandType, Class<R> resultType) {
    this.commandType = commandType;
    this.resultType = resultType;
    ObjectMapper mapper = newMapper(commandType, resultType);
    this.commandWriter = mapper.writerFor(commandType);
    this.commandReader = mapper.readerFor(commandType);
    this.resultWriter = mapper.writerFor(resultType);
    this.resultReader = mapper.readerFor(resultType);
  }

  /**
   * A codec for the given command and result types.
   *
   * @throws IllegalArgumentException if two subtypes of one sealed hierarchy share a simple name
   */
  public static <C, R> JacksonCodec<C, R> of(Class<C> commandType, Class<R> resultType) {
    Objects.requireNonNull(commandType, "commandType");
    Objects.requireNonNull(resultType, "resultType");
    return new JacksonCodec<>(commandType, resultType);
  }

  @Override
  public Class<C> commandType() {
    return commandType;
  }

  /** The result type this codec handles. */
  public Class<R> resultType() {
    return resultType;
  }

  @Override
  public byte[] encodeCommand(C command) {
    return write(commandWriter, command, "command");
  }

  @Override
  public C decodeCommand(byte[] bytes) {
    return read(commandReader, bytes, commandType);
  }

  @Override
  public byte[] encodeResult(R result) {
    return write(resultWriter, result, "result");
  }

  @Override
  public R decodeResult(byte[] bytes) {
    return read(resultReader, bytes, resultType);
  }

  private static byte[] write(ObjectWriter writer, Object value, String what) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode "
              + what
              + " of type "
              + (value == null ? "null" : value.getClass().getName())
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static <T> T read(ObjectReader reader, byte[] bytes, Class<T> type) {
    if (bytes == null || bytes.length == 0) {
      throw new MalformedCommandException("empty input for " + type.getSimpleName());
    }
    try {
      T value = reader.readValue(bytes);
      if (value == null) {
        throw new MalformedCommandException("null " + type.getSimpleName());
      }
      return value;
    } catch (InvalidTypeIdException e) {
      throw new MalformedCommandException(
          "unknown " + type.getSimpleName() + " type '" + e.getTypeId() + "'", e);
    } catch (IOException e) {
      throw new MalformedCommandException(
          "malformed " + type.getSimpleName() + ": " + firstLine(e.getMessage()), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new MalformedCommandException(
          "invalid " + type.getSimpleName() + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * Jackson's {@code ORDER_MAP_ENTRIES_BY_KEYS} leaves a {@link SortedMap} in its own order, so a
   * map sorted by another comparator would give other bytes for an equal map: write every sorted
   * map in natural key order (when its keys have one) like any other map.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final StdConverter<Map, Map> NATURAL_ORDER =
      new StdConverter<>() {
        @Override
        public Map convert(Map map) {
          if (!(map instanceof SortedMap sorted) || sorted.comparator() == null) {
            return map;
          }
          for (Object key : map.keySet()) {
            if (!(key instanceof Comparable)) {
              return map;
            }
          }
          return new TreeMap(map);
        }
      };

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static JsonSerializer<?> naturalOrder(MapType type, JsonSerializer<?> serializer) {
    return new StdDelegatingSerializer(
        (StdConverter) NATURAL_ORDER, type, (JsonSerializer) serializer);
  }

  private static ObjectMapper newMapper(Class<?>... roots) {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(
                new SimpleModule("steadfast-sorted-maps")
                    .setSerializerModifier(
                        new BeanSerializerModifier() {
                          @Override
                          public JsonSerializer<?> modifyMapSerializer(
                              SerializationConfig config,
                              MapType type,
                              BeanDescription description,
                              JsonSerializer<?> serializer) {
                            return naturalOrder(type, serializer);
                          }
                        }))
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();
    for (Class<?> root : roots) {
      if (isPolymorphic(root)) {
        mapper.addMixIn(root, TypeTagged.class);
        mapper.registerSubtypes(namedSubtypes(root));
      }
    }
    return mapper;
  }

  private static boolean isPolymorphic(Class<?> type) {
    return type.isSealed()
        || (!type.isPrimitive()
            && !type.isArray()
            && Modifier.isAbstract(type.getModifiers())
            && !type.getName().startsWith("java."));
  }

  private static NamedType[] namedSubtypes(Class<?> root) {
    if (!root.isSealed()) {
      return new NamedType[0];
    }
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
        if (!sub.isInterface() && !Modifier.isAbstract(sub.getModifiers())) {
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
        }
        if (sub.isSealed()) {
          pending.add(sub);
        }
      }
    }
    return byName.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new NamedType(e.getValue(), e.getKey()))
        .toArray(NamedType[]::new);
  }

  @JsonTypeInfo(
      use = JsonTypeInfo.Id.NAME,
      include = JsonTypeInfo.As.PROPERTY,
      property = TYPE_PROPERTY)
  private abstract static class TypeTagged {}
}
