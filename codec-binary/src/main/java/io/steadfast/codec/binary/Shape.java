package io.steadfast.codec.binary;

/**
 * How one Java type is written and read. Built once per codec by {@link Shapes} from the types'
 * declarations; immutable and thread-safe.
 */
abstract class Shape {

  /** Nesting of records, collections and optionals allowed in one value, both ways. */
  static final int MAX_DEPTH = 64;

  /** The type's name, for messages. */
  abstract String name();

  /** Writes a non-null value. */
  abstract void write(Out out, Object value, int depth);

  /** Reads a value; never null. */
  abstract Object read(In in, int depth);

  static int deeper(int depth, String what) {
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException(
          what + " is nested more than " + MAX_DEPTH + " levels deep");
    }
    return depth + 1;
  }

  static int deeperRead(int depth, String what) {
    if (depth >= MAX_DEPTH) {
      throw new Malformed(what + " is nested more than " + MAX_DEPTH + " levels deep");
    }
    return depth + 1;
  }
}
