package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderPathPreloadTest {

  private final List<String> names =
      LeaderPathPreload.classNames(LeaderPathPreloadTest.class.getClassLoader());

  @Test
  void findsTheEngineClassesOnlyAPrimaryRuns() {
    // The classes a won election loads first (JFR class-load events of a member process).
    assertThat(names)
        .contains(
            "org.apache.ratis.server.impl.LeaderStateImpl",
            "org.apache.ratis.server.impl.PendingRequests",
            "org.apache.ratis.grpc.server.GrpcLogAppender",
            "org.apache.ratis.retry.MultipleLinearRandomRetry",
            "io.steadfast.runtime.internal.journal.GroupCommitter");
  }

  @Test
  void takesNothingOutsideItsPackages() {
    assertThat(names)
        .isNotEmpty()
        .allSatisfy(
            name ->
                assertThat(
                        LeaderPathPreload.PACKAGES.stream()
                            .anyMatch(p -> name.replace('.', '/').startsWith(p)))
                    .as(name)
                    .isTrue())
        .doesNotHaveDuplicates()
        .noneMatch(name -> name.endsWith("Test"));
  }
}
