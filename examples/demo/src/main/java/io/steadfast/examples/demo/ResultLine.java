package io.steadfast.examples.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The demo's last line, {@code RESULT {json}}: one flat JSON object of numbers and plain strings,
 * in the order the fields were added, for scripts and CI to read.
 *
 * <p>Not thread-safe; built and printed by one thread.
 */
final class ResultLine {

  private final Map<String, Object> fields = new LinkedHashMap<>();

  /** Adds a number. */
  ResultLine put(String key, long value) {
    fields.put(key, value);
    return this;
  }

  /** Adds a string. */
  ResultLine put(String key, String value) {
    fields.put(key, value);
    return this;
  }

  /** Adds every entry of {@code counts}, in its iteration order. */
  ResultLine putAll(Map<String, Long> counts) {
    fields.putAll(counts);
    return this;
  }

  @Override
  public String toString() {
    StringJoiner json = new StringJoiner(",", "RESULT {", "}");
    fields.forEach(
        (key, value) ->
            json.add(
                quote(key)
                    + ":"
                    + (value instanceof String text ? quote(text) : value.toString())));
    return json.toString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
