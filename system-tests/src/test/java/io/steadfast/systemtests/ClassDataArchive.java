package io.steadfast.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The member processes' class path and an application class-data archive (AppCDS) for it, made once
 * per test JVM, as docs/operations.md ("Start-up time") advises operators to do.
 *
 * <p>Why: the system tests restart members dozens of times on a 2-core machine that also runs the
 * other members, the client and HAProxy. Measured here, a member started from a copy of a system
 * test's storage reached BACKUP in 2.5–3.1 s using about 4 s of CPU without an archive, and in
 * 1.7–1.9 s using about 2 s with one; on a loaded machine the CPU is what counts (with two busy
 * loops beside the test, restarts took 14 s to restore their checkpoint).
 *
 * <p>The archive is made by a training run: one member alone, started as a one-member cluster,
 * serving as primary, then stopped with SIGTERM so that the JVM writes the classes it loaded at
 * exit ({@code -XX:ArchiveClassesAtExit}). The JVM archives only from a class path of jar files, so
 * members get this JVM's class path without its directories (the test classes, which members do not
 * use). If the training fails, members run without an archive and the reason is printed: the
 * archive saves time, it changes nothing the tests assert. {@code
 * -Dsteadfast.system.class-data=false} turns it off, to compare.
 *
 * <p>Thread-safe: {@link #options} is synchronized.
 */
final class ClassDataArchive {

  private static final Path FILE = Path.of("target", "system-test-members.jsa").toAbsolutePath();
  private static List<String> options;

  private ClassDataArchive() {}

  /** This JVM's class path without directories: what the member processes run from. */
  static String memberClassPath() {
    return String.join(
        File.pathSeparator,
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.isEmpty() && !Files.isDirectory(Path.of(entry)))
            .toList());
  }

  /** The JVM options that make a member use the archive, after making it once; maybe none. */
  static synchronized List<String> options() {
    if (options == null) {
      options =
          Boolean.parseBoolean(System.getProperty("steadfast.system.class-data", "true"))
              ? train()
              : without("-Dsteadfast.system.class-data=false");
    }
    return options;
  }

  private static List<String> train() {
    long start = System.nanoTime();
    try {
      Files.deleteIfExists(FILE);
      Path dir = SystemTestSupport.freshDirectory(Path.of("target", "class-data-training"));
      SystemTestSupport.signingKey(dir);
      int[] ports = SystemTestSupport.freePorts(2);
      int raft = ports[0];
      int http = ports[1];
      Path config = dir.resolve("t1.properties");
      Files.writeString(
          config,
          String.join(
              "\n",
              "node.id=t1",
              "cluster.name=class-data-training",
              "storage.dir=" + dir.resolve("data"),
              "members=t1=127.0.0.1:" + raft + ":" + http,
              "auth.jwt.jwks=" + dir.resolve(SystemTestSupport.JWKS),
              "security.member-secret=" + MemberProcesses.SECRET,
              ""));
      Path log = dir.resolve("t1.log");
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command =
          new ArrayList<>(
              List.of(
                  java,
                  "-Xmx256m",
                  "-XX:ArchiveClassesAtExit=" + FILE,
                  "-cp",
                  memberClassPath(),
                  MemberProcesses.CURRENT_RELEASE,
                  "--config",
                  config.toString()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.readString(log).contains("-> PRIMARY")) {
        if (!process.isAlive() || System.nanoTime() > end) {
          process.destroyForcibly();
          return without("the training member did not become primary; see " + log);
        }
        Thread.sleep(50);
      }
      process.destroy(); // SIGTERM: the JVM writes the archive as it exits
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return without("the training member did not exit within 60 s of SIGTERM");
      }
      if (!Files.isRegularFile(FILE)) {
        return without("the JVM wrote no archive; see " + log);
      }
      System.out.printf(
          "member class-data archive %s (%d MB) made in %d ms%n",
          FILE, Files.size(FILE) >> 20, (System.nanoTime() - start) / 1_000_000);
      return List.of("-XX:SharedArchiveFile=" + FILE);
    } catch (IOException e) {
      return without(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return without("interrupted");
    }
  }

  private static List<String> without(String why) {
    System.out.println("member processes run without a class-data archive: " + why);
    return List.of();
  }
}
