package io.steadfast.benchmarks.raw;

import io.steadfast.benchmarks.scenario.Polling;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.ClientId;

/**
 * A client of the {@link RawRatisCluster}: one command at a time, each retried with the same call
 * id until the current leader answers, with the same back-off as the SDK's session (2 ms doubling
 * to 10 ms, 2 s per attempt, 10 s in all), so that failover times compare like with like.
 *
 * <p>Not thread-safe: one caller thread.
 */
public final class RawSession {

  private static final long ATTEMPT_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RawRatisCluster cluster;
  private final ClientId client = ClientId.randomId();
  private long callId;

  /** A session on {@code cluster}. */
  public RawSession(RawRatisCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Applies one command (one Raft entry) and returns the counter after it.
   *
   * @throws IllegalStateException if no leader applied it within 10 s
   */
  public long execute(byte[] payload) {
    long call = ++callId;
    long end = System.nanoTime() + DEADLINE_NANOS;
    long backoff = 2;
    Throwable last = null;
    while (System.nanoTime() < end) {
      long left = Math.max(1, Math.min(ATTEMPT_NANOS, end - System.nanoTime()));
      try {
        return cluster.submit(client, call, payload).get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        last = e.getCause();
      } catch (TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      Polling.sleepMillis(backoff);
      backoff = Math.min(10, backoff * 2);
    }
    throw new IllegalStateException("raw command " + call + " not applied within 10 s", last);
  }
}
