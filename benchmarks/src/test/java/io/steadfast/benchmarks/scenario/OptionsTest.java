package io.steadfast.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void theProcessCurve_runsOnlyWhenNamed() {
    Options all = Options.parse(new String[0]);
    assertThat(all.runs("curve")).isTrue();
    assertThat(all.runs("curve-processes")).isFalse();

    Options named = Options.parse(new String[] {"--only", "curve-processes"});
    assertThat(named.runs("curve-processes")).isTrue();
    assertThat(named.runs("curve")).isFalse();
  }

  @Test
  void anUnknownScenario_isRefusedWithTheNamesThatExist() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--only", "curves"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scenario curves")
        .hasMessageContaining("curve-processes");
  }
}
