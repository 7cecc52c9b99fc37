package io.steadfast.examples.collection;

import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Makes a repeatable portfolio of accounts to open: the same seed, count and date always give the
 * same commands.
 *
 * <p>Accounts are named {@code ACC-000001} upwards. About one in twenty is current; the others are
 * 1 to 200 days past due on {@code asOf}, so every bucket is populated and some accounts reach
 * charge-off at the first aging. Past due amounts are the installments that fell due before {@code
 * asOf}, sometimes less a partial payment on the oldest. Stateless and thread-safe.
 */
public final class AccountLoader {

  private static final List<String> GIVEN_NAMES =
      List.of(
          "Ada", "Bela", "Chidi", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas",
          "Kofi", "Lena", "Mateo", "Noor", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq");
  private static final List<String> FAMILY_NAMES =
      List.of(
          "Abara",
          "Bianchi",
          "Costa",
          "Dubois",
          "Eriksen",
          "Fischer",
          "Garcia",
          "Haddad",
          "Ivanova",
          "Jansen",
          "Kowalski",
          "Lindqvist",
          "Moreau",
          "Nakamura",
          "Okafor",
          "Petrov");

  private AccountLoader() {}

  /**
   * The opening commands of {@code count} accounts.
   *
   * @param seed the seed; the same seed gives the same portfolio
   * @param count how many accounts, 0 to 999,999
   * @param asOf the business date the portfolio is described at, usually the leader's date
   */
  public static List<OpenDelinquentAccount> openCommands(long seed, int count, LocalDate asOf) {
    Require.range("count", count, 0, 999_999);
    Require.present("asOf", asOf);
    SplittableRandom random = new SplittableRandom(seed);
    List<OpenDelinquentAccount> commands = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      commands.add(account(random, String.format(Locale.ROOT, "ACC-%06d", i), asOf));
    }
    return List.copyOf(commands);
  }

  private static OpenDelinquentAccount account(SplittableRandom random, String id, LocalDate asOf) {
    String borrower =
        GIVEN_NAMES.get(random.nextInt(GIVEN_NAMES.size()))
            + " "
            + FAMILY_NAMES.get(random.nextInt(FAMILY_NAMES.size()));
    BigDecimal installment = BigDecimal.valueOf(15_000 + random.nextInt(135_000), 2);
    BigDecimal principal = installment.multiply(BigDecimal.valueOf(12 + random.nextInt(229)));
    if (random.nextInt(20) == 0) {
      LocalDate nextDue = asOf.plusDays(1 + random.nextInt(28));
      return new OpenDelinquentAccount(id, borrower, principal, Require.ZERO, nextDue, installment);
    }
    int daysPastDue = 1 + random.nextInt(200);
    LocalDate oldest = asOf.minusDays(daysPastDue);
    int fallenDue = 0;
    while (oldest.plusMonths(fallenDue).isBefore(asOf)) {
      fallenDue++;
    }
    BigDecimal pastDue = installment.multiply(BigDecimal.valueOf(fallenDue));
    if (random.nextInt(10) < 3) {
      long installmentCents = installment.movePointRight(2).longValueExact();
      pastDue = pastDue.subtract(BigDecimal.valueOf(1 + random.nextLong(installmentCents - 1), 2));
    }
    return new OpenDelinquentAccount(id, borrower, principal, pastDue, oldest, installment);
  }
}
