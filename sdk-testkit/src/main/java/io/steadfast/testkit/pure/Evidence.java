package io.steadfast.testkit.pure;

import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.CheckContext;

/** Text for counterexamples: trace entries around a failure. */
final class Evidence {

  private Evidence() {}

  /** Entry {@code i} (0-based) described with the codec, prefixed by its number. */
  static <C, R> String entry(CheckContext<C, R> context, int i) {
    Trace<C, R> trace = context.trace();
    return "entry #" + (i + 1) + ": " + trace.entry(i).describe(context.codec());
  }

  /** The first byte offset where two arrays differ, or the shorter length. */
  static int firstDifference(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return n;
  }

  /** A throwable as {@code Type: message}. */
  static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }
}
