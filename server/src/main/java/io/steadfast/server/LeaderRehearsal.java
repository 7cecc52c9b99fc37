package io.steadfast.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.ApplyContext;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.runtime.security.ClientCredentials;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the primary's code once in a member process that may never have been primary, so that its
 * first failover does not pay for it.
 *
 * <p>A member that has only ever been a backup has never run the engine's leader side (appenders,
 * pending-request tables, the leader's election steps), this runtime's door (group commit, the
 * session table's primary checks) or the HTTP endpoint's command route: the first election it wins
 * loads, links and interprets all of it while clients wait. Measured with member processes, that
 * made a failover to such a member 1.6–1.9 times as slow as in one JVM, where the other members'
 * code is the same, warm code (docs/performance.md). The rehearsal starts a throwaway cluster of
 * two members in this JVM, on loopback ports and in a temporary folder, with a tiny counter
 * application of its own, sends it commands over HTTP from a few sessions, switches the primary
 * role over once and sends more, then stops it and deletes its folder. The member's own data,
 * endpoints, metrics and sessions are never touched.
 *
 * <p>It runs once per JVM on one background thread, once the member has been a caught-up backup for
 * the whole delay (a member that is catching up needs the CPU more); a member that is primary by
 * then does not need it, and one that becomes primary meanwhile stops it early. It costs several
 * seconds of CPU once (docs/operations.md gives the figures). Its end is logged in one line that
 * begins with {@link #ENDED}. Any failure only costs the head start: it is logged and the member
 * goes on. Off with {@code rehearsal.commands=0}.
 */
final class LeaderRehearsal {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderRehearsal.class);

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Sessions sending at once, so that the primary's door sees concurrent requests. */
  static final int SESSIONS = 8;

  private final int commands;
  private final Duration delay;
  private final @org.jspecify.annotations.Nullable ElectionTimeout election;

  /** The member's configured election timeout, which the throwaway cluster uses too. */
  record ElectionTimeout(Duration min, Duration max) {}

  /**
   * @param election the member's election timeout, or null for the runtime's default
   */
  LeaderRehearsal(
      int commands, Duration delay, @org.jspecify.annotations.Nullable ElectionTimeout election) {
    this.commands = commands;
    this.delay = delay;
    this.election = election;
  }

  /** Where the member stands, as the rehearsal sees it. */
  enum MemberState {
    /** Starting, catching up, or without a primary. */
    NOT_READY,
    /** A backup that knows the primary and has applied what it committed. */
    READY_BACKUP,
    /** Primary now: its own code is warming by itself. */
    PRIMARY,
    /** Stopped. */
    STOPPED
  }

  /** How often the member's state is looked at while waiting. */
  private static final long LOOK_EVERY_MILLIS = 250;

  /**
   * Starts the rehearsal on a daemon thread unless this JVM already did, or {@code commands} is 0;
   * returns the thread, or null. The thread waits until {@code member} has been a ready backup for
   * the whole delay (a member still catching up needs the CPU more), and ends without rehearsing
   * once the member is primary or stopped; it also stops sending early when the member becomes
   * primary meanwhile.
   */
  @org.jspecify.annotations.Nullable
  Thread startOnce(NodeId id, Supplier<MemberState> member) {
    if (commands <= 0 || !STARTED.compareAndSet(false, true)) {
      return null;
    }
    Thread thread = new Thread(() -> runQuietly(member), "steadfast-rehearsal-" + id.value());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The state of {@code node} for {@link #startOnce}. */
  static MemberState stateOf(SteadfastNode<?, ?> node) {
    if (node.stopped()) {
      return MemberState.STOPPED;
    }
    if (node.isPrimary()) {
      return MemberState.PRIMARY;
    }
    return node.isReady() ? MemberState.READY_BACKUP : MemberState.NOT_READY;
  }

  private void runQuietly(Supplier<MemberState> member) {
    try {
      long readySince = -1;
      while (true) {
        MemberState state = member.get();
        if (state == MemberState.STOPPED) {
          return;
        }
        if (state == MemberState.PRIMARY) {
          LOG.info("{}not needed, this member is primary", ENDED);
          return;
        }
        long now = System.nanoTime();
        if (state == MemberState.READY_BACKUP) {
          if (readySince < 0) {
            readySince = now;
          }
          if (now - readySince >= delay.toNanos()) {
            break;
          }
        } else {
          readySince = -1;
        }
        Thread.sleep(Math.min(LOOK_EVERY_MILLIS, Math.max(1, delay.toMillis())));
      }
      long begin = System.nanoTime();
      Outcome outcome =
          run(
              () -> {
                MemberState now = member.get();
                return now == MemberState.PRIMARY || now == MemberState.STOPPED;
              });
      long millis = (System.nanoTime() - begin) / 1_000_000;
      if (outcome.acknowledged() < commands) {
        LOG.info(
            "{}stopped after {} commands in {} ms: this member became primary or stopped",
            ENDED,
            outcome.acknowledged(),
            millis);
      } else {
        LOG.info("{}{} commands in a throwaway cluster in {} ms", ENDED, commands, millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
        throw fatal;
      }
      LOG.info("{}failed ({}); this member's first time as primary runs cold", ENDED, e);
    }
  }

  /** How every line that ends a rehearsal begins (the benchmarks wait for it). */
  static final String ENDED = "rehearsal of the primary's path: ";

  /** What a rehearsal did: commands acknowledged, and the temporary folder it used. */
  record Outcome(int acknowledged, java.nio.file.Path storage) {}

  /**
   * Runs the rehearsal on the calling thread; stops sending once {@code stop} says so (checked
   * before every command).
   */
  Outcome run(BooleanSupplier stop) throws InterruptedException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    byte[] expected = token.getBytes(StandardCharsets.US_ASCII);
    int sent = 0;
    java.nio.file.Path storage;
    EmbeddedCluster.Builder<Long, Long> builder =
        EmbeddedCluster.<Long, Long>builder()
            .nodes(2)
            .nodeNames("rehearsal-")
            .application(Counter::new)
            .codec(new LongCodec())
            .permitUnannotatedCommands()
            .meterRegistry(new SimpleMeterRegistry());
    ElectionTimeout timeout = election;
    if (timeout != null) {
      builder.electionTimeout(timeout.min(), timeout.max());
    }
    try (EmbeddedCluster<Long, Long> cluster =
        builder
            .authenticator(
                credentials -> {
                  byte[] given =
                      credentials.bearerToken().orElse("").getBytes(StandardCharsets.US_ASCII);
                  if (!MessageDigest.isEqual(given, expected)) {
                    throw new NotAuthenticatedException("not the rehearsal's token");
                  }
                  return Optional.of(Principal.of("rehearsal"));
                })
            .start()) {
      SteadfastClient<Long, Long> client =
          cluster.remoteClient(ClientCredentials.none().bearerToken(() -> token));
      sent += send(client, commands / 2, stop);
      NodeId first = cluster.primary().id();
      for (NodeId other : cluster.ids()) {
        if (!other.equals(first) && !stop.getAsBoolean()) {
          cluster.switchover(other);
          break;
        }
      }
      sent += send(client, commands - commands / 2, stop);
      storage = cluster.storage();
    }
    return new Outcome(sent, storage);
  }

  /**
   * Sends {@code count} commands from {@link #SESSIONS} sessions at once; returns how many were
   * acknowledged. A session that fails ends the round; its error is thrown after the others end,
   * unless {@code stop} said to stop meanwhile (the member needs the CPU more than an answer).
   */
  private static int send(SteadfastClient<Long, Long> client, int count, BooleanSupplier stop)
      throws InterruptedException {
    List<Thread> senders = new ArrayList<>();
    int[] done = new int[SESSIONS];
    java.util.concurrent.atomic.AtomicReference<RuntimeException> error =
        new java.util.concurrent.atomic.AtomicReference<>();
    for (int s = 0; s < SESSIONS; s++) {
      int index = s;
      int share = count / SESSIONS + (s < count % SESSIONS ? 1 : 0);
      Thread sender =
          new Thread(
              () -> {
                try {
                  Session<Long, Long> session = client.openSession(Principal.of("rehearsal"));
                  for (int i = 0; i < share && error.get() == null && !stop.getAsBoolean(); i++) {
                    session.execute(1L);
                    done[index]++;
                  }
                } catch (RuntimeException e) {
                  error.compareAndSet(null, e);
                }
              },
              "steadfast-rehearsal-session-" + s);
      sender.setDaemon(true);
      senders.add(sender);
      sender.start();
    }
    int total = 0;
    for (int s = 0; s < SESSIONS; s++) {
      senders.get(s).join();
      total += done[s];
    }
    RuntimeException failed = error.get();
    if (failed != null && !stop.getAsBoolean()) {
      throw failed;
    }
    return total;
  }

  /** The rehearsal's application: a sum. */
  static final class Counter implements ResilientApplication<Long, Long> {
    private long sum;

    @Override
    public Long apply(Long command, ApplyContext context) {
      sum += command;
      return sum;
    }

    @Override
    public void checkpoint(CheckpointWriter out) throws IOException {
      new DataOutputStream(out.stream()).writeLong(sum);
    }

    @Override
    public void restore(CheckpointReader in) throws IOException {
      sum = new DataInputStream(in.stream()).readLong();
    }
  }

  /** Eight bytes each way. */
  static final class LongCodec implements CommandCodec<Long, Long> {
    @Override
    public Class<Long> commandType() {
      return Long.class;
    }

    @Override
    public byte[] encodeCommand(Long command) {
      return ByteBuffer.allocate(8).putLong(command).array();
    }

    @Override
    public Long decodeCommand(byte[] bytes) {
      if (bytes.length != 8) {
        throw new MalformedCommandException("a rehearsal command is 8 bytes, not " + bytes.length);
      }
      return ByteBuffer.wrap(bytes).getLong();
    }

    @Override
    public byte[] encodeResult(Long result) {
      return encodeCommand(result);
    }

    @Override
    public Long decodeResult(byte[] bytes) {
      return decodeCommand(bytes);
    }
  }
}
