package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  private static final List<String> COLLECTORS = List.of("carol", "dev");

  @Test
  void twoInstances_sameCommands_reachTheSameStateAndResults() {
    WorkloadRun replicaA = WorkloadRun.run(2025, 60, COLLECTORS, 6, 20);
    WorkloadRun replicaB = WorkloadRun.run(2025, 60, COLLECTORS, 6, 20);

    assertThat(replicaB.transcript).isEqualTo(replicaA.transcript);
    assertThat(replicaB.checkpoint()).isEqualTo(replicaA.checkpoint());
  }

  @Test
  void replica_inAnotherTimeZoneAndLocale_reachesTheSameBytes() {
    WorkloadRun home = WorkloadRun.run(77, 40, COLLECTORS, 4, 15);
    TimeZone savedZone = TimeZone.getDefault();
    Locale savedLocale = Locale.getDefault();
    WorkloadRun abroad;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      Locale.setDefault(Locale.forLanguageTag("ar-SA-u-nu-arab"));
      abroad = WorkloadRun.run(77, 40, COLLECTORS, 4, 15);
    } finally {
      TimeZone.setDefault(savedZone);
      Locale.setDefault(savedLocale);
    }

    assertThat(abroad.transcript).isEqualTo(home.transcript);
    assertThat(abroad.checkpoint()).isEqualTo(home.checkpoint());
  }

  @Test
  void replica_restoredMidway_catchesUpToTheSameBytes() throws Exception {
    // a replica that installs a checkpoint and then applies the rest ends where the original does
    WorkloadRun original = WorkloadRun.run(5, 30, COLLECTORS, 3, 10);
    LoanCollectionApplication installed = new LoanCollectionApplication();
    Harness.restore(installed, original.checkpoint(), 1);
    Harness follower = new Harness(installed);
    Harness leader = original.harness;

    for (Harness harness : List.of(leader, follower)) {
      harness.age(WorkloadRun.START.plusDays(40));
    }

    assertThat(follower.checkpoint()).isEqualTo(leader.checkpoint());
  }
}
