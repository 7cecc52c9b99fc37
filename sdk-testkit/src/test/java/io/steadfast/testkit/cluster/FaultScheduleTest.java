package io.steadfast.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.testkit.cluster.FaultSchedule.Kind;
import org.junit.jupiter.api.Test;

/** The fault schedule is a function of the seed, and always covers every kind of fault. */
class FaultScheduleTest {

  @Test
  void sameSeed_sameSchedule() {
    assertThat(FaultSchedule.generate(20_240_611L, false))
        .isEqualTo(FaultSchedule.generate(20_240_611L, false));
    assertThat(FaultSchedule.generate(7L, true)).isEqualTo(FaultSchedule.generate(7L, true));
  }

  @Test
  void otherSeed_otherSchedule() {
    assertThat(FaultSchedule.generate(1L, false).faults())
        .isNotEqualTo(FaultSchedule.generate(2L, false).faults());
  }

  @Test
  void everySchedule_coversEveryKind_andExpiresASessionBeforeTheLastCrash() {
    for (long seed = 0; seed < 200; seed++) {
      for (boolean deep : new boolean[] {false, true}) {
        FaultSchedule schedule = FaultSchedule.generate(seed, deep);
        for (Kind kind : Kind.values()) {
          assertThat(schedule.count(kind)).as("%s in %s", kind, schedule).isPositive();
        }
        assertThat(schedule.count(Kind.SWITCHOVER)).isGreaterThanOrEqualTo(2);
        int expiry = -1;
        int lastCrash = -1;
        for (int i = 0; i < schedule.faults().size(); i++) {
          Kind kind = schedule.faults().get(i).kind();
          if (kind == Kind.EXPIRE_SESSION) {
            expiry = i;
          }
          if (kind.name().startsWith("CRASH")) {
            lastCrash = i;
          }
        }
        assertThat(expiry).as("%s", schedule).isLessThan(lastCrash);
      }
    }
  }

  @Test
  void deepSchedule_isLonger_withLargerGaps() {
    FaultSchedule shallow = FaultSchedule.generate(3L, false);
    FaultSchedule deep = FaultSchedule.generate(3L, true);
    assertThat(deep.faults().size()).isGreaterThan(2 * shallow.faults().size());
    assertThat(deep.faults().stream().mapToInt(FaultSchedule.Fault::afterAcks).min().orElseThrow())
        .isGreaterThan(
            shallow.faults().stream().mapToInt(FaultSchedule.Fault::afterAcks).max().orElseThrow());
  }
}
