package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountLoaderTest {

  private static final LocalDate AS_OF = LocalDate.of(2025, 5, 1);

  @Test
  void openCommands_sameSeed_giveEqualPortfolios() {
    assertThat(AccountLoader.openCommands(9, 50, AS_OF))
        .isEqualTo(AccountLoader.openCommands(9, 50, AS_OF));
  }

  @Test
  void openCommands_otherSeed_giveAnotherPortfolio() {
    assertThat(AccountLoader.openCommands(10, 50, AS_OF))
        .isNotEqualTo(AccountLoader.openCommands(9, 50, AS_OF));
  }

  @Test
  void openCommands_namesAccountsInAscendingOrder() {
    List<OpenDelinquentAccount> commands = AccountLoader.openCommands(9, 12, AS_OF);

    assertThat(commands).hasSize(12);
    assertThat(commands)
        .extracting(OpenDelinquentAccount::accountId)
        .startsWith("ACC-000001", "ACC-000002")
        .endsWith("ACC-000012")
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void openCommands_populateEveryBucket() {
    Harness harness = new Harness().on(AS_OF);
    for (OpenDelinquentAccount open : AccountLoader.openCommands(9, 300, AS_OF)) {
      harness.submit(Harness.SUPERVISOR, open);
    }

    Set<Bucket> buckets = EnumSet.noneOf(Bucket.class);
    for (int i = 1; i <= 300; i++) {
      buckets.add(harness.account(String.format(java.util.Locale.ROOT, "ACC-%06d", i)).bucket());
    }
    assertThat(buckets).containsExactlyInAnyOrder(Bucket.values());
    assertThat(harness.age(AS_OF).chargedOff()).isNotEmpty();
  }

  @Test
  void openCommands_negativeCount_isRefused() {
    assertThatThrownBy(() -> AccountLoader.openCommands(9, -1, AS_OF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count")
        .hasMessageContaining("-1");
  }
}
