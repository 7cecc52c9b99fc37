package io.steadfast.benchmarks.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an idle three-node system costs in this JVM: threads and heap it added (after a full GC),
 * and the process CPU it burns while idle, each divided by the number of nodes. Measured before any
 * other scenario, with nothing else running in the JVM.
 */
final class FootprintScenario {

  private FootprintScenario() {}

  static Map<String, Object> run(Supplier<Target> starter, Duration idle)
      throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    settle(memory);
    int threads0 = threads.getThreadCount();
    long heap0 = memory.getHeapMemoryUsage().getUsed();
    long startBegin = System.nanoTime();
    Target target = starter.get();
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      target.primary();
      long started = System.nanoTime();
      Thread.sleep(2000);
      settle(memory);
      int threads1 = threads.getThreadCount();
      long heap1 = memory.getHeapMemoryUsage().getUsed();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Thread.sleep(idle.toMillis());
      long cpu1 = os.getProcessCpuTime();
      long wall1 = System.nanoTime();
      int nodes = target.size();
      out.put("nodes", nodes);
      out.put("startMs", Report.round((started - startBegin) / 1e6));
      out.put("threadsPerNode", Report.round((threads1 - threads0) / (double) nodes));
      out.put("heapMbPerNode", Report.round((heap1 - heap0) / 1e6 / nodes));
      out.put(
          "idleCpuPercentOfCorePerNode",
          Report.round(100.0 * (cpu1 - cpu0) / (wall1 - wall0) / nodes));
      out.put("idleSeconds", Report.round((wall1 - wall0) / 1e9));
    } finally {
      long closeStart = System.nanoTime();
      target.close();
      out.put("closeMs", Report.round((System.nanoTime() - closeStart) / 1e6));
    }
    Thread.sleep(1000);
    out.put("threadsLeftAfterClose", threads.getThreadCount() - threads0);
    return out;
  }

  private static void settle(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      memory.gc();
      Thread.sleep(100);
    }
  }
}
