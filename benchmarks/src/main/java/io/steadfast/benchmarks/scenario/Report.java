package io.steadfast.benchmarks.scenario;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run measured: a tree of figures for {@code results.json} (every scenario with its {@code
 * sdk} and {@code raw} side) and the rows of the console table, including each target of issue 6
 * with its verdict.
 *
 * <p>Not thread-safe: filled by the runner's main thread.
 */
public final class Report {

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();
  private final List<Map<String, Object>> targets = new ArrayList<>();
  private final String left;
  private final String right;
  private final String issue;

  /** A report comparing the SDK with raw Ratis against the targets of issue 6. */
  public Report() {
    this("SDK", "raw Ratis", "issue 6");
  }

  /**
   * A report whose two value columns are headed {@code left} and {@code right}, with targets from
   * {@code issue}.
   */
  public Report(String left, String right, String issue) {
    this.left = left;
    this.right = right;
    this.issue = issue;
  }

  /** Rounds to two decimals, keeping NaN. */
  public static double round(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? value
        : Math.round(value * 100.0) / 100.0;
  }

  /** Sets a top-level entry of the results tree. */
  public void put(String key, Object value) {
    results.put(key, value);
  }

  /** Adds a table row: section, figure, SDK value, raw value, SDK/raw ratio (or blank). */
  public void row(String section, String figure, double sdk, double raw, String unit) {
    String ratio = Double.isNaN(sdk) || Double.isNaN(raw) || raw == 0 ? "" : fmt(sdk / raw) + "x";
    rows.add(new String[] {section, figure, fmt(sdk) + " " + unit, fmt(raw) + " " + unit, ratio});
  }

  /** Adds a table row with an SDK value only. */
  public void row(String section, String figure, double sdk, String unit) {
    rows.add(new String[] {section, figure, fmt(sdk) + " " + unit, "-", ""});
  }

  /** Records a target of the issue and whether this run met it. */
  public void target(String name, String goal, double measured, boolean met) {
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("target", name);
    target.put("goal", goal);
    target.put("measured", round(measured));
    target.put("met", met);
    targets.add(target);
  }

  /** The targets recorded so far, in order. */
  List<Map<String, Object>> targets() {
    return List.copyOf(targets);
  }

  /** Writes the table and the targets to standard output. */
  public void print() {
    String format = "%-12s %-44s %16s %16s %9s%n";
    System.out.println();
    System.out.printf(Locale.ROOT, format, "scenario", "figure", left, right, left + "/" + right);
    System.out.println("-".repeat(101));
    String last = "";
    for (String[] r : rows) {
      System.out.printf(Locale.ROOT, format, r[0].equals(last) ? "" : r[0], r[1], r[2], r[3], r[4]);
      last = r[0];
    }
    System.out.println();
    System.out.println("targets (" + issue + "):");
    for (Map<String, Object> t : targets) {
      System.out.printf(
          Locale.ROOT,
          "  %-4s %-44s goal %-14s measured %s%n",
          (Boolean) t.get("met") ? "MET" : "MISS",
          t.get("target"),
          t.get("goal"),
          t.get("measured"));
    }
  }

  /** Writes {@code results.json}. */
  public void write(Path file) throws IOException {
    results.put("targets", targets);
    Files.createDirectories(file.toAbsolutePath().getParent());
    JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build()
        .writeValue(file.toFile(), results);
  }

  private static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
