package io.steadfast.testkit.cluster;

import io.steadfast.api.role.RoleChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes {@code cluster-timeline.txt}: the run's events and every role change as delivered. */
final class Timeline<C, R> {

  private final ScenarioStage<C, R> stage;

  Timeline(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  /** Writes the timeline of events and delivered role changes to the report folder. */
  void write() {
    List<String> lines = new ArrayList<>(stage.history.timeline);
    lines.add("");
    lines.add("role changes as delivered:");
    long zero = stage.history.started;
    for (Observations.RoleEvent event : stage.history.observations.delivered()) {
      RoleChange change = event.change();
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "+%8.3f s  %s %s -> %s (%s) epoch %d at %s",
              (event.nanos() - zero) / 1e9,
              change.node(),
              change.from(),
              change.to(),
              change.reason(),
              change.epoch(),
              change.position()));
    }
    try {
      Path dir = stage.context.settings().reportDirectory();
      Files.createDirectories(dir);
      Files.write(dir.resolve("cluster-timeline.txt"), lines);
    } catch (IOException e) {
      stage.history.event("could not write the timeline: " + e);
    }
  }
}
