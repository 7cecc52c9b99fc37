package io.steadfast.benchmarks.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws load curves as a standalone SVG: completed commands a second (log scale) across, p99
 * latency from when each command was due (log scale) up; one line per system and session count, the
 * colour naming the system and the label at the line's end its session count. Hollow markers are
 * points that did not hold their offered load.
 *
 * <p>Stateless.
 */
final class CurveChart {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final int LEFT = 70;
  private static final int RIGHT = 150;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e"};

  private CurveChart() {}

  static void write(Map<String, List<Map<String, Object>>> curves, Path file) throws IOException {
    double xMin = Double.MAX_VALUE;
    double xMax = 1;
    double yMin = Double.MAX_VALUE;
    double yMax = 1;
    for (List<Map<String, Object>> curve : curves.values()) {
      for (Map<String, Object> point : curve) {
        double x = LoadCurve.num(point, "achievedPerSecond");
        double y = LoadCurve.num(point, "p99Ms");
        if (x > 0 && y > 0) {
          xMin = Math.min(xMin, x);
          xMax = Math.max(xMax, x);
          yMin = Math.min(yMin, y);
          yMax = Math.max(yMax, y);
        }
      }
    }
    double x0 = Math.pow(10, Math.floor(Math.log10(Math.min(xMin, xMax))));
    double x1 = Math.pow(10, Math.ceil(Math.log10(xMax)));
    double y0 = Math.pow(10, Math.floor(Math.log10(Math.min(yMin, yMax))));
    double y1 = Math.pow(10, Math.ceil(Math.log10(yMax)));
    Axes axes = new Axes(x0, x1, y0, y1);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"22\" font-size=\"15\">Open-loop load: p99 latency (from when each"
                + " command was due) against completed commands/s</text>%n",
            LEFT));
    for (double v = x0; v <= x1 * 1.0001; v *= 10) {
      double x = axes.x(v);
      svg.append(line(x, TOP, x, HEIGHT - BOTTOM, "#ddd"));
      svg.append(text(x, HEIGHT - BOTTOM + 18, label(v), "middle"));
    }
    for (double v = y0; v <= y1 * 1.0001; v *= 10) {
      double y = axes.y(v);
      svg.append(line(LEFT, y, WIDTH - RIGHT, y, "#ddd"));
      svg.append(text(LEFT - 6, y + 4, label(v) + " ms", "end"));
    }
    svg.append(
        text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 20, "completed commands per second", "middle"));
    int colour = 0;
    int legendY = TOP + 10;
    for (Map.Entry<String, List<Map<String, Object>>> curve : curves.entrySet()) {
      String stroke = COLOURS[colour++ % COLOURS.length];
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
              WIDTH - RIGHT + 12,
              legendY - 10,
              stroke));
      svg.append(text(WIDTH - RIGHT + 30, legendY, curve.getKey(), "start"));
      legendY += 18;
      Map<Integer, List<Map<String, Object>>> bySessions = new TreeMap<>();
      for (Map<String, Object> point : curve.getValue()) {
        bySessions
            .computeIfAbsent((Integer) point.get("sessions"), k -> new ArrayList<>())
            .add(point);
      }
      for (Map.Entry<Integer, List<Map<String, Object>>> line : bySessions.entrySet()) {
        StringBuilder path = new StringBuilder();
        double lastX = Double.NaN;
        double lastY = Double.NaN;
        for (Map<String, Object> point : line.getValue()) {
          double xv = LoadCurve.num(point, "achievedPerSecond");
          double yv = LoadCurve.num(point, "p99Ms");
          if (!(xv > 0 && yv > 0)) {
            continue;
          }
          lastX = axes.x(xv);
          lastY = axes.y(yv);
          path.append(path.length() == 0 ? "M" : " L")
              .append(String.format(Locale.ROOT, "%.1f %.1f", lastX, lastY));
          boolean held = (Boolean) point.get("held");
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" stroke=\"%s\" fill=\"%s\"/>%n",
                  lastX,
                  lastY,
                  stroke,
                  held ? stroke : "white"));
        }
        if (path.length() > 0) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<path d=\"%s\" stroke=\"%s\" fill=\"none\" stroke-width=\"1.5\"/>%n",
                  path,
                  stroke));
          svg.append(text(lastX + 5, lastY - 5, String.valueOf(line.getKey()), "start"));
        }
      }
    }
    svg.append(text(WIDTH - RIGHT + 12, legendY + 10, "labels: sessions;", "start"));
    svg.append(text(WIDTH - RIGHT + 12, legendY + 26, "hollow: not held", "start"));
    svg.append("</svg>\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, svg, StandardCharsets.UTF_8);
  }

  private record Axes(double x0, double x1, double y0, double y1) {
    double x(double v) {
      return LEFT + (Math.log10(v / x0) / Math.log10(x1 / x0)) * (WIDTH - LEFT - RIGHT);
    }

    double y(double v) {
      return HEIGHT - BOTTOM - (Math.log10(v / y0) / Math.log10(y1 / y0)) * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static String line(double x1, double y1, double x2, double y2, String stroke) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
        x1,
        y1,
        x2,
        y2,
        stroke);
  }

  private static String text(double x, double y, String body, String anchor) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
        x,
        y,
        anchor,
        body);
  }

  private static String label(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
  }
}
