package io.steadfast.runtime.internal.ratis;

import io.steadfast.runtime.internal.observe.NodeThreads;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and links the engine's and the runtime's classes once per JVM, on one background thread
 * after a member has started.
 *
 * <p>A member that has only ever been a backup has never run the primary's code: when it wins an
 * election, the engine first loads, verifies and initializes a few hundred classes (leader state,
 * log appenders, pending-request tables, their metrics) on the failover's critical path. Measured
 * with three member processes (JFR class-load events, 2026-12-05), that took 75–180 ms between the
 * won election and the first append, against 2–7 ms in a JVM where another member had already led.
 * Loading them ahead of time moves that work off the failover path; it costs a few hundred
 * milliseconds of one thread's CPU once after start, and nothing after.
 *
 * <p>Only the classes of the engine's server, gRPC and retry packages, the engine's utilities and
 * this runtime's own are loaded, and none is initialized (its static initializer runs where it is
 * first used, as without the preload). A class that cannot be loaded (an optional dependency
 * missing) is skipped. Failure of any kind only costs the head start, never the member.
 */
final class LeaderPathPreload {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderPathPreload.class);

  /** Resource-path prefixes of the classes to load. */
  static final List<String> PACKAGES =
      List.of(
          "org/apache/ratis/server/",
          "org/apache/ratis/grpc/",
          "org/apache/ratis/retry/",
          "org/apache/ratis/util/",
          "org/apache/ratis/protocol/",
          "io/steadfast/runtime/");

  /** Classes whose jars (or folders) hold the packages above. */
  private static final List<String> ANCHORS =
      List.of(
          "org.apache.ratis.server.impl.RaftServerImpl",
          "org.apache.ratis.server.RaftServer",
          "org.apache.ratis.grpc.GrpcFactory",
          "org.apache.ratis.util.JavaUtils",
          "io.steadfast.runtime.internal.ratis.RatisEngine");

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private LeaderPathPreload() {}

  /** Starts the preload unless this JVM already has; returns at once. */
  static void startOnce(String member) {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    NodeThreads.thread("preload", member, LeaderPathPreload::run).start();
  }

  private static void run() {
    long begin = System.nanoTime();
    ClassLoader loader = LeaderPathPreload.class.getClassLoader();
    int loaded = 0;
    int skipped = 0;
    for (String name : classNames(loader)) {
      try {
        // Loaded and linked (HotSpot verifies a class before it lists its methods), but not
        // initialized: running static initializers here, in parallel with the engine's threads,
        // could deadlock two classes whose initializers need each other.
        Class<?> type = Class.forName(name, false, loader);
        var unused = type.getDeclaredMethods();
        loaded++;
      } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
        skipped++;
      }
    }
    LOG.debug(
        "engine classes loaded ahead of a first election: {} ({} skipped) in {} ms",
        loaded,
        skipped,
        (System.nanoTime() - begin) / 1_000_000);
  }

  /** The names of the classes under {@link #PACKAGES} in the anchors' jars, in jar order. */
  static List<String> classNames(ClassLoader loader) {
    Set<Path> sources = new LinkedHashSet<>();
    for (String anchor : ANCHORS) {
      Path source = source(anchor, loader);
      if (source != null) {
        sources.add(source);
      }
    }
    Set<String> names = new LinkedHashSet<>();
    for (Path source : sources) {
      try {
        if (Files.isDirectory(source)) {
          try (Stream<Path> files = Files.walk(source)) {
            files
                .map(p -> source.relativize(p).toString().replace('\\', '/'))
                .forEach(entry -> add(entry, names));
          }
        } else if (Files.isRegularFile(source)) {
          try (JarFile jar = new JarFile(source.toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
              add(entry.getName(), names);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("cannot list the classes of {}: {}", source, e.toString());
      }
    }
    return new ArrayList<>(names);
  }

  private static void add(String entry, Set<String> names) {
    if (!entry.endsWith(".class") || entry.endsWith("module-info.class")) {
      return;
    }
    for (String prefix : PACKAGES) {
      if (entry.startsWith(prefix)) {
        names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        return;
      }
    }
  }

  private static @Nullable Path source(String className, ClassLoader loader) {
    try {
      CodeSource code =
          Class.forName(className, false, loader).getProtectionDomain().getCodeSource();
      URL location = code == null ? null : code.getLocation();
      return location == null || !"file".equals(location.getProtocol())
          ? null
          : Path.of(location.toURI());
    } catch (ClassNotFoundException
        | LinkageError
        | URISyntaxException
        | SecurityException
        | IllegalArgumentException e) {
      return null;
    }
  }
}
