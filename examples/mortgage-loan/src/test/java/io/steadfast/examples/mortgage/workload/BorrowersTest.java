package io.steadfast.examples.mortgage.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.examples.mortgage.Underwriting;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BorrowersTest {

  @Test
  void next_sameSeed_sameProfiles() {
    SplittableRandom a = new SplittableRandom(99L);
    SplittableRandom b = new SplittableRandom(99L);

    for (int i = 0; i < 100; i++) {
      assertThat(Borrowers.next(b)).isEqualTo(Borrowers.next(a));
    }
  }

  @Test
  void next_manyProfiles_smallShareBreaksRulesOrWithdraws() {
    SplittableRandom random = new SplittableRandom(1L);
    List<Borrowers.Profile> profiles = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      profiles.add(Borrowers.next(random));
    }

    long failing =
        profiles.stream()
            .filter(
                p ->
                    !Underwriting.assess(p.request(), p.creditScore(), p.appraisedValue())
                        .approvable())
            .count();
    long withdrawing = profiles.stream().filter(p -> p.withdrawAfter() != null).count();
    assertThat(failing).isBetween(250L, 1000L);
    assertThat(withdrawing).isBetween(150L, 500L);
    assertThat(profiles.stream().map(p -> p.request().borrowerName()).distinct().count())
        .isGreaterThan(300);
  }
}
