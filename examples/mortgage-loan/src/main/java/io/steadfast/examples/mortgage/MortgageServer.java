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

  @Override
  public CommandCodec<LoanCommand, LoanResult> codec() {
    return MortgageLoanApplication.codec();
  }
}
