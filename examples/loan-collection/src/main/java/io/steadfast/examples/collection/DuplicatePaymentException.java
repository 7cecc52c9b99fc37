package io.steadfast.examples.collection;

/**
 * A payment reference was posted before; the second post is rejected and changes nothing.
 *
 * <p>Thrown by {@code apply}, so the runtime reports it to the caller as a rejection whose error
 * type is this class's simple name. A client that sees it after an uncertain first attempt knows
 * the payment is on the books. Immutable and thread-safe.
 */
public final class DuplicatePaymentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String paymentReference;
  private final String postedTo;

  /**
   * @param paymentReference the reference posted twice
   * @param postedTo the account the first post went to
   */
  public DuplicatePaymentException(String paymentReference, String postedTo) {
    super("payment " + paymentReference + " was already posted to account " + postedTo);
    this.paymentReference = paymentReference;
    this.postedTo = postedTo;
  }

  /** The reference posted twice. */
  public String paymentReference() {
    return paymentReference;
  }

  /** The account the first post went to. */
  public String postedTo() {
    return postedTo;
  }
}
