package io.steadfast.benchmarks.scenario;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Where an open loop's slow commands come from. Runs one point of the load curve ({@link
 * OpenLoopScenario}) against an embedded cluster of three and lays three things on one time line of
 * {@code --slot-ms} slots: the slowest command due in each slot (latency from due time), how late a
 * thread that only sleeps 1 ms at a time woke up in it (a pause of the whole JVM or of the machine
 * shows there, whatever its cause: GC, safepoints, the neighbours), and the GC pauses that began in
 * it. Prints each stall (consecutive slots whose slowest command exceeds {@code --threshold-ms})
 * with what the other two lines show at that time, then how many of the late commands fell in
 * stalls that a JVM-wide pause explains.
 *
 * <p>{@code java -Xmx6g -Dsteadfast.log.level=error -Dsteadfast.log.ratis=error -cp
 * benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.StallTimeline --app counter
 * --sessions 1024 --rate 16000 --seconds 30}. The warm-up is a closed loop of 64 sessions for
 * {@code --warmup} seconds, as before the curve. {@code --threads virtual} puts the sessions on
 * virtual threads (JDK 21 or later), as the curve's {@code --load-threads virtual} does. {@code
 * --checkpoint-every N} checkpoints the mortgage example every N commands exactly (a very large N:
 * none in the run) instead of the runtime's default.
 *
 * <p>Not thread-safe: run by its main thread.
 */
public final class StallTimeline {

  private StallTimeline() {}

  /** Runs the point; see the class comment for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    CommonPool.configure();
    String app = "counter";
    int sessions = 1024;
    int rate = 16_000;
    int seconds = 30;
    int warmup = 40;
    int slotMs = 20;
    int thresholdMs = 50;
    long checkpointEvery = SdkTarget.RUNTIME_DEFAULT;
    for (int i = 0; i < args.length; i += 2) { // each argument is a name and its value
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--app" -> app = ClosedLoop.application(value);
        case "--sessions" -> sessions = ClosedLoop.positive(args[i], value);
        case "--rate" -> rate = ClosedLoop.positive(args[i], value);
        case "--seconds" -> seconds = ClosedLoop.positive(args[i], value);
        case "--warmup" -> warmup = ClosedLoop.positive(args[i], value);
        case "--slot-ms" -> slotMs = ClosedLoop.positive(args[i], value);
        case "--threshold-ms" -> thresholdMs = ClosedLoop.positive(args[i], value);
        case "--threads" -> LoadThreads.choose(LoadThreads.named(value));
        case "--checkpoint-every" -> checkpointEvery = ClosedLoop.positive(args[i], value);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; known: --app counter|mortgage, --sessions N, --rate N, --seconds N,"
                    + " --warmup N, --slot-ms N, --threshold-ms N, --threads platform|virtual,"
                    + " --checkpoint-every N (mortgage)");
      }
    }
    try (SdkTarget<?, ?> target =
        app.equals("mortgage")
            ? SdkTarget.start(
                io.steadfast.examples.mortgage.MortgageLoanApplication::new, checkpointEvery)
            : SdkTarget.counter()) {
      ThroughputScenario.run(target, 64, Duration.ZERO, Duration.ofSeconds(warmup));
      List<Worker> workers = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        workers.add(target.newWorker(20_000 + i));
      }
      // One unrecorded point first: the sessions' first commands open them.
      OpenLoopScenario.point(target, workers, rate, Duration.ZERO, Duration.ofSeconds(3));
      run(target, workers, rate, seconds, slotMs, thresholdMs);
    }
  }

  private static void run(
      Target target, List<Worker> workers, int rate, int seconds, int slotMs, int thresholdMs)
      throws InterruptedException {
    long slotNanos = TimeUnit.MILLISECONDS.toNanos(slotMs);
    int slots = (int) (TimeUnit.SECONDS.toNanos(seconds + 1) / slotNanos) + 1;
    long warmupNanos = TimeUnit.SECONDS.toNanos(1);
    // The window starts 50 ms after point() is called, plus its warm-up (see OpenLoopScenario).
    long origin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50) + warmupNanos;
    AtomicLongArray slowest = new AtomicLongArray(slots);
    AtomicLongArray late = new AtomicLongArray(slots);
    AtomicLongArray hiccup = new AtomicLongArray(slots);
    long thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMs);
    ConcurrentLinkedQueue<long[]> pauses = new ConcurrentLinkedQueue<>();
    List<String> pauseNames = new java.util.concurrent.CopyOnWriteArrayList<>();
    long uptimeOrigin =
        System.nanoTime()
            - TimeUnit.MILLISECONDS.toNanos(ManagementFactory.getRuntimeMXBean().getUptime());
    NotificationListener gcListener =
        (notification, handback) -> {
          if (!notification
              .getType()
              .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
          }
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long start =
              uptimeOrigin + TimeUnit.MILLISECONDS.toNanos(info.getGcInfo().getStartTime());
          int name = pauseNames.indexOf(info.getGcName() + " " + info.getGcAction());
          if (name < 0) {
            pauseNames.add(info.getGcName() + " " + info.getGcAction());
            name = pauseNames.size() - 1;
          }
          pauses.add(new long[] {start, info.getGcInfo().getDuration(), name});
        };
    List<NotificationEmitter> emitters = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(gcListener, null, null);
        emitters.add(emitter);
      }
    }
    Thread meter =
        new Thread(
            () -> {
              long oneMs = TimeUnit.MILLISECONDS.toNanos(1);
              while (!Thread.currentThread().isInterrupted()) {
                long before = System.nanoTime();
                LockSupport.parkNanos(oneMs);
                long after = System.nanoTime();
                int slot = (int) ((after - origin) / slotNanos);
                if (after >= origin && slot < slots) {
                  hiccup.accumulateAndGet(slot, after - before - oneMs, Math::max);
                }
              }
            },
            "hiccup-meter");
    meter.setDaemon(true);
    meter.start();
    Map<String, Object> point =
        OpenLoopScenario.point(
            target,
            workers,
            rate,
            Duration.ofNanos(warmupNanos),
            Duration.ofSeconds(seconds),
            (due, finished) -> {
              int slot = (int) ((due - origin) / slotNanos);
              if (due >= origin && slot < slots) {
                slowest.accumulateAndGet(slot, finished - due, Math::max);
                if (finished - due > thresholdNanos) {
                  late.incrementAndGet(slot);
                }
              }
            });
    meter.interrupt();
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(gcListener);
      } catch (javax.management.ListenerNotFoundException e) {
        // already gone
      }
    }
    System.out.println("POINT " + point);
    report(
        slowest, late, hiccup, List.copyOf(pauses), pauseNames, origin, slotNanos, thresholdNanos);
  }

  private static void report(
      AtomicLongArray slowest,
      AtomicLongArray late,
      AtomicLongArray hiccup,
      List<long[]> pauses,
      List<String> pauseNames,
      long origin,
      long slotNanos,
      long thresholdNanos) {
    long lateTotal = 0;
    long lateExplained = 0;
    int stalls = 0;
    int explainedStalls = 0;
    int slot = 0;
    while (slot < slowest.length()) {
      if (slowest.get(slot) <= thresholdNanos) {
        slot++;
        continue;
      }
      int first = slot;
      while (slot < slowest.length() && slowest.get(slot) > thresholdNanos) {
        slot++;
      }
      int last = slot - 1;
      long worst = 0;
      long lateHere = 0;
      long hiccupWorst = 0;
      // A pause delays the commands due in the slots before it too, so look a little further.
      int lookAhead = Math.min(slowest.length() - 1, last + 1);
      for (int s = first; s <= lookAhead; s++) {
        hiccupWorst = Math.max(hiccupWorst, hiccup.get(s));
      }
      for (int s = first; s <= last; s++) {
        worst = Math.max(worst, slowest.get(s));
        lateHere += late.get(s);
      }
      // A pause that ended just before the first slow slot made that slot's commands late too.
      long from = origin + (first - 1) * slotNanos;
      long to = origin + (lookAhead + 1) * slotNanos;
      StringBuilder gcs = new StringBuilder();
      long gcWorst = 0;
      for (long[] pause : pauses) {
        if (pause[0] + TimeUnit.MILLISECONDS.toNanos(pause[1]) >= from && pause[0] < to) {
          gcs.append(' ')
              .append(pauseNames.get((int) pause[2]))
              .append(' ')
              .append(pause[1])
              .append("ms");
          gcWorst = Math.max(gcWorst, TimeUnit.MILLISECONDS.toNanos(pause[1]));
        }
      }
      boolean explained = hiccupWorst > thresholdNanos / 2;
      stalls++;
      lateTotal += lateHere;
      if (explained) {
        explainedStalls++;
        lateExplained += lateHere;
      }
      System.out.printf(
          Locale.ROOT,
          "STALL at %7.0f ms for %4d ms: slowest %6.1f ms, %5d late; JVM hiccup %6.1f ms;"
              + " GC:%s%n",
          (first * slotNanos) / 1e6,
          (last - first + 1) * slotNanos / 1_000_000,
          worst / 1e6,
          lateHere,
          hiccupWorst / 1e6,
          gcs.length() == 0 ? " none" : gcs.toString());
    }
    for (long[] pause : pauses) {
      System.out.printf(
          Locale.ROOT,
          "GC at %7.0f ms: %s %d ms%n",
          (pause[0] - origin) / 1e6,
          pauseNames.get((int) pause[2]),
          pause[1]);
    }
    long hiccupMax = 0;
    for (int s = 0; s < hiccup.length(); s++) {
      hiccupMax = Math.max(hiccupMax, hiccup.get(s));
    }
    System.out.printf(
        Locale.ROOT,
        "SUMMARY %d stalls, %d with a JVM hiccup over half the threshold; late commands %d, of"
            + " which %d in those; worst hiccup %.1f ms; GC pauses %d%n",
        stalls,
        explainedStalls,
        lateTotal,
        lateExplained,
        hiccupMax / 1e6,
        pauses.size());
  }
}
