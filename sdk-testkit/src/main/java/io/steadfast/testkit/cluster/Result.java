package io.steadfast.testkit.cluster;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.testkit.apply.Outcome;

/**
 * A command's outcome in a form the client side and every replica can compare: the encoded result,
 * or the rejection's type and message. Two rejections are the same outcome when their types are:
 * the runtime keeps no exception message in replicated state (it may differ between replicas), so a
 * retry's rejection carries the type alone. Immutable.
 *
 * @param rejected whether the command was rejected
 * @param detail the encoded result as text, or {@code Type: message} for a rejection
 */
record Result(boolean rejected, String detail) {

  /** What is compared: the whole result, or a rejection's type. */
  private String key() {
    if (!rejected) {
      return detail;
    }
    int colon = detail.indexOf(": ");
    return colon < 0 ? detail : detail.substring(0, colon);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Result that && rejected == that.rejected && key().equals(that.key());
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(rejected) * 31 + key().hashCode();
  }

  static Result reply(byte[] encoded) {
    return new Result(false, Outcome.describe(encoded));
  }

  static Result rejected(Exception e) {
    return new Result(
        true, e.getClass().getSimpleName() + ": " + (e.getMessage() == null ? "" : e.getMessage()));
  }

  static Result rejected(CommandRejectedException e) {
    return new Result(true, e.errorType() + ": " + e.reason());
  }

  static Result of(Outcome<?> outcome) {
    return new Result(outcome.isRejected(), outcome.detail());
  }

  @Override
  public String toString() {
    String text = detail.length() > 160 ? detail.substring(0, 160) + "…" : detail;
    return (rejected ? "rejected " : "reply ") + text;
  }
}
