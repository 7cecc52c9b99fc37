package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatisEngineTest {

  @Test
  void loadingTheEngine_leavesTheHostsHandlerOfUncaughtExceptionsInPlace() throws Exception {
    Class.forName(RatisEngine.class.getName(), true, RatisEngine.class.getClassLoader());
    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
    // Ratis installs its own the first time its exit setting is touched, which the engine does.
    assertThat(handler == null ? "none" : handler.getClass().getName())
        .doesNotStartWith("org.apache.ratis");
  }

  @Test
  void appenderRetryPolicy_parsesAndNeverWaitsLongerThanAFewHundredMilliseconds() {
    org.apache.ratis.retry.RetryPolicy policy =
        org.apache.ratis.retry.RetryPolicy.parse(RatisEngine.APPENDER_RETRY_POLICY, "test");
    for (int attempt : new int[] {1, 10, 11, 50, 51, 10_000, 5_000_000}) {
      int count = attempt;
      org.apache.ratis.retry.RetryPolicy.Action action = policy.handleAttemptFailure(() -> count);
      assertThat(action.shouldRetry()).as("attempt %d", attempt).isTrue();
      // The sleeps are randomized to between half and one and a half times the nominal value.
      assertThat(action.getSleepTime().toLong(java.util.concurrent.TimeUnit.MILLISECONDS))
          .as("attempt %d", attempt)
          .isLessThanOrEqualTo(300);
    }
  }
}
