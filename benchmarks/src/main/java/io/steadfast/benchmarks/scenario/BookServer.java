package io.steadfast.benchmarks.scenario;

import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.server.SteadfastServer;

/**
 * A mortgage member process whose application starts with a book of {@code
 * -Dsteadfast.bench.book-records=N} loans already on it, built in this process by {@link
 * MortgageFixtures#loanBook} (deterministic, so every member builds the same book), for measuring
 * checkpoints of a large book with one replica per JVM. For benchmarks only: a member that restarts
 * from an empty storage folder rebuilds the same book, so replay stays consistent, but a real
 * application starts empty.
 */
public final class BookServer {

  /** The system property with the number of loans to start with (0 when unset). */
  static final String RECORDS = "steadfast.bench.book-records";

  private BookServer() {}

  /** Entry point; the arguments are the launcher's ({@code --config FILE}). */
  public static void main(String[] args) {
    int records = Integer.getInteger(RECORDS, 0);
    SteadfastServer.run(
        args, () -> MortgageFixtures.loanBook(records), MortgageLoanApplication.codec());
  }
}
