package io.steadfast.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCurveTest {

  @Test
  void countsTheCommandsStillOwedInTheWindow() {
    // Due every 10 ns from 5; the window is [20, 60): 25, 35, 45, 55 are in it.
    assertThat(OpenLoopScenario.countDue(5, 20, 60, 10)).isEqualTo(4);
    // Already inside the window at a due time: that one counts.
    assertThat(OpenLoopScenario.countDue(40, 20, 60, 10)).isEqualTo(2);
    // Nothing left once the next due time is past the window.
    assertThat(OpenLoopScenario.countDue(60, 20, 60, 10)).isZero();
    assertThat(OpenLoopScenario.countDue(59, 20, 60, 10)).isEqualTo(1);
  }

  @Test
  void capacityIsTheMostCompletedAndTheP99GoalUsesOnlyHeldPoints() {
    List<Map<String, Object>> curve = new ArrayList<>();
    curve.add(point(1000, 990, true, 3));
    curve.add(point(2000, 1980, true, 60));
    curve.add(point(4000, 2500, false, 900));
    assertThat(LoadCurve.capacity(curve).get("achievedPerSecond")).isEqualTo(2500.0);
    assertThat(LoadCurve.highestWithinGoal(curve).get("offeredPerSecond")).isEqualTo(1000.0);
    curve.remove(0);
    assertThat(LoadCurve.highestWithinGoal(curve)).isNull();
  }

  @Test
  void judgesTheGoalsFromTheCurves() {
    List<Map<String, Object>> raw =
        List.of(point(1000, 1000, true, 2), point(2000, 1500, false, 50));
    List<Map<String, Object>> counter = List.of(point(32000, 31000, true, 20));
    List<Map<String, Object>> mortgage = List.of(point(8000, 8000, true, 70));
    Report report = new Report();
    LoadCurve.judge(report, mortgage, counter, raw);
    List<Map<String, Object>> targets = report.targets();
    assertThat(targets)
        .extracting(t -> t.get("met"))
        .containsExactly(true, true, false, true, false);
    assertThat(targets.get(0).get("measured")).isEqualTo(20.67);
  }

  @Test
  void drawsOneLinePerSessionCount(@TempDir Path dir) throws Exception {
    Map<String, List<Map<String, Object>>> curves = new LinkedHashMap<>();
    List<Map<String, Object>> sdk = new ArrayList<>();
    sdk.add(withSessions(point(250, 250, true, 2), 1));
    sdk.add(withSessions(point(500, 400, false, 900), 1));
    sdk.add(withSessions(point(250, 250, true, 3), 64));
    curves.put("SDK", sdk);
    Path file = dir.resolve("chart.svg");
    CurveChart.write(curves, file);
    String svg = Files.readString(file);
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
    assertThat(svg.split("<path ", -1)).hasSize(3);
    assertThat(svg).contains("fill=\"white\"/>").contains(">SDK</text>");
  }

  private static Map<String, Object> point(
      double offered, double achieved, boolean held, double p99) {
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("sessions", 64);
    point.put("offeredPerSecond", offered);
    point.put("achievedPerSecond", achieved);
    point.put("held", held);
    point.put("p99Ms", p99);
    point.put("processCpuMicrosPerCommand", 35.0);
    return point;
  }

  private static Map<String, Object> withSessions(Map<String, Object> point, int sessions) {
    point.put("sessions", sessions);
    return point;
  }
}
