package io.steadfast.examples.mortgage;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.server.ServerApplication;
import io.steadfast.server.SteadfastServer;

/**
 * The Mortgage Loan Production System as one member process: {@code java -cp <class path>
 * io.steadfast.examples.mortgage.MortgageServer --config n1.properties} (see {@code
 * docs/operations.md}). Also usable as {@code application.class} of {@code
 * io.steadfast.server.Main}.
 */
public final class MortgageServer implements ServerApplication<LoanCommand, LoanResult> {

  /** Entry point: the whole main of a vendor's member process. */
  public static void main(String[] args) {
    SteadfastServer.run(args, MortgageLoanApplication::new, MortgageLoanApplication.codec());
  }

  @Override
  public ResilientApplication<LoanCommand, LoanResult> newApplication() {
    return new MortgageLoanApplication();
  }

  /**
   * A member process running release 1 ({@link MortgageLoanApplication#asRelease1()}), for
   * rehearsing a rolling upgrade to this release: start members with {@code
   * io.steadfast.examples.mortgage.MortgageServer$Release1} (or {@code application.class} of that
   * name), then restart them one by one with {@code MortgageServer} as {@code docs/operations.md}
   * §5 describes.
   */
  public static final class Release1 implements ServerApplication<LoanCommand, LoanResult> {

    /** Entry point of a release 1 member process. */
    public static void main(String[] args) {
      SteadfastServer.run(
          args, MortgageLoanApplication::asRelease1, MortgageLoanApplication.codec());
    }

    @Override
    public ResilientApplication<LoanCommand, LoanResult> newApplication() {
      return MortgageLoanApplication.asRelease1();
    }

    @Override
    public CommandCodec<LoanCommand, LoanResult> codec() {
      return MortgageLoanApplication.codec();
    }
  }

  @Override
  public CommandCodec<LoanCommand, LoanResult> codec() {
    return MortgageLoanApplication.codec();
  }
}
