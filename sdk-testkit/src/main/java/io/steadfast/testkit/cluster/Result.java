package io.steadfast.testkit.cluster;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.testkit.apply.Outcome;

/**
 * A command's outcome in a form the client side and every replica can compare: the encoded result,
 * or the rejection's type and message. Immutable.
 *
 * @param rejected whether the command was rejected
 * @param detail the encoded result as text, or {@code Type: message} for a rejection
 */
record Result(boolean rejected, String detail) {

  static Result reply(byte[] encoded) {
    return new Result(false, Outcome.describe(encoded));
  }

  static Result rejected(Exception e) {
    return new Result(true, e.getClass().getSimpleName() + ": "
        + (e.getMessage() == null ? "" : e.getMessage()));
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
