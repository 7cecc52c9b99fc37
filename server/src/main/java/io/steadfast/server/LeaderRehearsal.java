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
 * <p>It runs once per JVM on one background thread, after a delay (the member catches up first); it
 * takes a few seconds of CPU. Any failure only costs the head start: it is logged and the member
 * goes on. Off with {@code rehearsal.commands=0}.
 */
final class LeaderRehearsal {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderRehearsal.class);

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Sessions sending at once: enough for the group committer to pack several into one entry. */
  static final int SESSIONS = 8;

  private final int commands;
  private final Duration delay;
  private final Duration electionMin;
  private final Duration electionMax;

  LeaderRehearsal(int commands, Duration delay, Duration electionMin, Duration electionMax) {
    this.commands = commands;
    this.delay = delay;
    this.electionMin = electionMin;
    this.electionMax = electionMax;
  }

  /**
   * Starts the rehearsal on a daemon thread unless this JVM already did, or {@code commands} is 0;
   * returns the thread, or null.
   */
  @org.jspecify.annotations.Nullable
  Thread startOnce(NodeId member) {
    if (commands <= 0 || !STARTED.compareAndSet(false, true)) {
      return null;
    }
    Thread thread = new Thread(this::runQuietly, "steadfast-rehearsal-" + member.value());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void runQuietly() {
    try {
      Thread.sleep(delay.toMillis());
      long begin = System.nanoTime();
      int sent = run().acknowledged();
      LOG.info(
          "rehearsed the primary's path: {} commands in a throwaway cluster in {} ms",
          sent,
          (System.nanoTime() - begin) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
        throw fatal;
      }
      LOG.info(
          "rehearsal of the primary's path failed ({}); this member's first time as primary runs"
              + " cold",
          String.valueOf(e));
    }
  }

  /** What a rehearsal did: commands acknowledged, and the temporary folder it used. */
  record Outcome(int acknowledged, java.nio.file.Path storage) {}

  /** Runs the rehearsal on the calling thread. */
  Outcome run() throws InterruptedException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    byte[] expected = token.getBytes(StandardCharsets.US_ASCII);
    int sent = 0;
    java.nio.file.Path storage;
    try (EmbeddedCluster<Long, Long> cluster =
        EmbeddedCluster.<Long, Long>builder()
            .nodes(2)
            .nodeNames("rehearsal-")
            .application(Counter::new)
            .codec(new LongCodec())
            .permitUnannotatedCommands()
            .electionTimeout(electionMin, electionMax)
            .meterRegistry(new SimpleMeterRegistry())
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
      sent += send(client, commands / 2);
      NodeId first = cluster.primary().id();
      for (NodeId other : cluster.ids()) {
        if (!other.equals(first)) {
          cluster.switchover(other);
          break;
        }
      }
      sent += send(client, commands - commands / 2);
      storage = cluster.storage();
    }
    return new Outcome(sent, storage);
  }

  /** Sends {@code count} commands from {@link #SESSIONS} sessions at once; returns how many. */
  private static int send(SteadfastClient<Long, Long> client, int count)
      throws InterruptedException {
    List<Thread> senders = new ArrayList<>();
    int[] done = new int[SESSIONS];
    for (int s = 0; s < SESSIONS; s++) {
      int index = s;
      int share = count / SESSIONS + (s < count % SESSIONS ? 1 : 0);
      Thread sender =
          new Thread(
              () -> {
                Session<Long, Long> session = client.openSession(Principal.of("rehearsal"));
                for (int i = 0; i < share; i++) {
                  session.execute(1L);
                  done[index]++;
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
