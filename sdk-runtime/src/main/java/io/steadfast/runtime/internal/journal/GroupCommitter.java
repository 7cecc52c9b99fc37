package io.steadfast.runtime.internal.journal;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.internal.observe.NodeThreads;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on the primary: collects requests from concurrent sessions and journals them as one
 * {@link JournalEntry.Batch}, bounded by count and bytes, with a bounded number of batches in
 * flight and a bounded queue (callers wait for room, then fail: back-pressure).
 *
 * <p>Thread-safe. One flusher thread forms and submits batches, except that a request arriving at
 * an idle committer is journaled at once by its caller; results are handed back on the engine's
 * completion threads.
 */
public final class GroupCommitter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  /** Limits of group commit. */
  public record Limits(int maxRequests, int maxBytes, Duration linger, int inFlight, int queue) {
    /** Validates the limits. */
    public Limits {
      if (maxRequests < 1 || maxBytes < 1 || inFlight < 1 || queue < 1 || linger.isNegative()) {
        throw new IllegalArgumentException(
            "group commit limits must be positive: maxRequests="
                + maxRequests
                + ", maxBytes="
                + maxBytes
                + ", inFlight="
                + inFlight
                + ", queue="
                + queue
                + ", linger="
                + linger);
      }
    }
  }

  private record Pending(Request request, CompletableFuture<Outcome> result) {}

  private final String name;
  private final Limits limits;
  private final Clock clock;
  private final Function<byte[], CompletableFuture<byte[]>> journal;
  private final BlockingQueue<Pending> queue;
  private final Semaphore slots;
  private final java.util.Set<List<Pending>> inFlight =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.function.Supplier<RuntimeException> closedFailure;
  private final Thread flusher;
  private final NodeMeters meters;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean flusherWaiting;
  private final AtomicLong callerRuns = new AtomicLong();
  private volatile long lastFlushNanos = System.nanoTime();
  private long lastLeaderTime;

  /**
   * @param name for the thread and messages
   * @param limits the batch limits
   * @param clock the primary's clock, read once per batch for leader time
   * @param journal journals one encoded entry and completes with the encoded outcomes
   */
  public GroupCommitter(
      String name,
      Limits limits,
      Clock clock,
      Function<byte[], CompletableFuture<byte[]>> journal) {
    this(
        name, limits, clock, journal, () -> new SteadfastException(name + ": group commit closed"));
  }

  /**
   * As above; {@code closedFailure} makes the exception that requests still queued or in flight get
   * when the committer closes (a node stopping says "not primary", so clients move on at once).
   */
  public GroupCommitter(
      String name,
      Limits limits,
      Clock clock,
      Function<byte[], CompletableFuture<byte[]>> journal,
      java.util.function.Supplier<RuntimeException> closedFailure) {
    this(name, limits, clock, journal, closedFailure, NodeMeters.NONE);
  }

  /** As above, recording batch sizes and commit latency in {@code meters}. */
  public GroupCommitter(
      String name,
      Limits limits,
      Clock clock,
      Function<byte[], CompletableFuture<byte[]>> journal,
      java.util.function.Supplier<RuntimeException> closedFailure,
      NodeMeters meters) {
    this.meters = meters;
    this.closedFailure = closedFailure;
    this.name = name;
    this.limits = limits;
    this.clock = clock;
    this.journal = journal;
    this.queue = new ArrayBlockingQueue<>(limits.queue());
    this.slots = new Semaphore(limits.inFlight());
    this.flusher = NodeThreads.thread("commit", name, this::run);
    this.flusher.start();
  }

  /**
   * Queues {@code request} for the next batch.
   *
   * @param wait how long to wait for room in a full queue
   * @return the request's outcome once journaled and applied here
   */
  public CompletableFuture<Outcome> submit(Request request, Duration wait) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    if (closed) {
      return CompletableFuture.failedFuture(new SteadfastException(name + ": group commit closed"));
    }
    // Caller runs: with nothing queued, no linger, the flusher not waiting for a slot and a slot
    // free, a batch of one is journaled at once on this thread, saving the hand-off to the flusher
    // (a thread wake-up on every request of a lone session). Under load the queue is rarely empty
    // and requests are batched as usual.
    if (limits.linger().isZero() && !flusherWaiting && queue.isEmpty() && slots.tryAcquire()) {
      callerRuns.incrementAndGet();
      flush(List.of(new Pending(request, result)));
      return result;
    }
    try {
      if (!queue.offer(new Pending(request, result), wait.toNanos(), TimeUnit.NANOSECONDS)) {
        return CompletableFuture.failedFuture(
            new SteadfastException(
                name + ": commit queue full (" + limits.queue() + " requests) for " + wait));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new SteadfastException(name + ": interrupted", e));
    }
    return result;
  }

  /** Batches journaled so far. */
  public long batches() {
    return batches.get();
  }

  /** Requests journaled so far. */
  public long requests() {
    return requests.get();
  }

  /** Batches journaled by the submitting thread itself (see {@link #submit}). */
  public long callerRuns() {
    return callerRuns.get();
  }

  private void run() {
    while (!closed) {
      Pending first = null;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        flusherWaiting = true;
        try {
          slots.acquire();
        } finally {
          flusherWaiting = false;
        }
        if (!limits.linger().isZero() && queue.size() < limits.maxRequests()) {
          Thread.sleep(limits.linger().toMillis(), limits.linger().toNanosPart() % 1_000_000);
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        int bytes = first.request().estimatedSize();
        while (batch.size() < limits.maxRequests()) {
          Pending next = queue.peek();
          if (next == null || bytes + next.request().estimatedSize() > limits.maxBytes()) {
            break;
          }
          batch.add(queue.poll());
          bytes += next.request().estimatedSize();
        }
        first = null;
        flush(batch);
      } catch (InterruptedException e) {
        if (first != null) {
          // Taken from the queue but never handed to the journal: definitely not journaled.
          first.result().completeExceptionally(closedFailure.get());
        }
        if (!closed) {
          LOG.warn("{}: group commit interrupted", name);
        }
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("{}: group commit failed", name, e);
      }
    }
    failAll(closedFailure.get());
  }

  private synchronized long nextLeaderTime() {
    lastLeaderTime = Math.max(lastLeaderTime, clock.millis());
    return lastLeaderTime;
  }

  /**
   * Journals an empty batch if nothing was journaled for {@code idle}, so that leader time moves on
   * (and idle sessions expire) while no requests arrive. Fire and forget.
   */
  public void tickIfIdle(Duration idle) {
    if (closed || System.nanoTime() - lastFlushNanos < idle.toNanos()) {
      return;
    }
    lastFlushNanos = System.nanoTime();
    try {
      journal
          .apply(WireFormat.encode(new JournalEntry.Batch(nextLeaderTime(), List.of())))
          .exceptionally(e -> null);
    } catch (RuntimeException e) {
      LOG.debug("{}: tick not journaled: {}", name, e.getMessage());
    }
  }

  private void flush(List<Pending> batch) {
    long now = nextLeaderTime();
    lastFlushNanos = System.nanoTime();
    List<Request> requestsOfBatch = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      requestsOfBatch.add(pending.request());
    }
    byte[] entry = WireFormat.encode(new JournalEntry.Batch(now, requestsOfBatch));
    batches.incrementAndGet();
    requests.addAndGet(batch.size());
    meters.batch(batch.size());
    long handedAt = System.nanoTime();
    CompletableFuture<byte[]> journaled;
    try {
      journaled = journal.apply(entry);
    } catch (RuntimeException e) {
      journaled = CompletableFuture.failedFuture(e);
    }
    inFlight.add(batch);
    var unused =
        journaled.whenComplete(
            (reply, error) -> {
              inFlight.remove(batch);
              slots.release();
              meters.committed(System.nanoTime() - handedAt);
              if (error != null) {
                Throwable failure = maybeJournaled(error);
                batch.forEach(p -> p.result().completeExceptionally(failure));
                return;
              }
              try {
                List<Outcome> outcomes = WireFormat.decodeOutcomes(reply);
                if (outcomes.size() != batch.size()) {
                  throw new IOException(
                      "expected " + batch.size() + " outcomes, got " + outcomes.size());
                }
                for (int i = 0; i < batch.size(); i++) {
                  batch.get(i).result().complete(outcomes.get(i));
                }
              } catch (IOException e) {
                SteadfastException failure =
                    new SteadfastException(name + ": unreadable batch reply", e);
                batch.forEach(p -> p.result().completeExceptionally(failure));
              }
            });
  }

  /**
   * What the waiters of a batch handed to the journal are told when it fails: the entry may have
   * been appended and may still commit, so nothing but a refusal the journal itself says came
   * before appending ({@link NotPrimaryException}) is reported as "not journaled".
   */
  private Throwable maybeJournaled(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof NotPrimaryException || cause instanceof IndeterminateOutcomeException) {
      return cause;
    }
    return new IndeterminateOutcomeException(
        name + ": the batch may have been journaled: " + cause, cause);
  }

  private void failAll(RuntimeException failure) {
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(p -> p.result().completeExceptionally(failure));
  }

  /**
   * Stops the flusher. Queued requests, never handed to the journal, fail with the closed-failure
   * (a stopping node says "not primary": nothing was journaled). The waiters of batches in flight
   * fail with {@link IndeterminateOutcomeException}: their entries may still commit, and a retry
   * with the same sequence number then returns that outcome.
   */
  @Override
  public void close() {
    closed = true;
    RuntimeException failure = closedFailure.get();
    for (List<Pending> batch : inFlight) {
      IndeterminateOutcomeException unknown =
          new IndeterminateOutcomeException(
              name + ": stopped with the batch in flight; it may have been journaled", null);
      batch.forEach(p -> p.result().completeExceptionally(unknown));
    }
    flusher.interrupt();
    try {
      flusher.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failAll(failure);
  }
}
