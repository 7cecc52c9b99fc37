package io.steadfast.benchmarks.raw;

import io.steadfast.benchmarks.scenario.Polling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;

/**
 * Three (or more) plain Ratis servers in this JVM on loopback, each with a {@link
 * CounterStateMachine}: the baseline the SDK is compared with. Configured as the runtime configures
 * Ratis where it matters for the comparison: the same election timeout, request timeout, segment
 * size, storage per node and fixed ports; no snapshots.
 *
 * <p>Commands are submitted in-process to the leader's server ({@code submitClientRequestAsync}),
 * exactly as the SDK's node submits its batches, so neither side pays a client-to-server network
 * hop.
 *
 * <p>Thread-safe.
 */
public final class RawRatisCluster implements AutoCloseable {

  private final RaftGroup group;
  private final Path root;
  private final Duration electionMin;
  private final Duration electionMax;
  private final List<Member> members = new ArrayList<>();

  private static final class Member {
    final RaftPeer peer;
    final Path storage;
    volatile @Nullable RaftServer server;
    volatile @Nullable CounterStateMachine stateMachine;

    Member(RaftPeer peer, Path storage) {
      this.peer = peer;
      this.storage = storage;
    }
  }

  private RawRatisCluster(int size, Duration electionMin, Duration electionMax) throws IOException {
    this.root = Files.createTempDirectory("steadfast-raw-ratis-");
    this.electionMin = electionMin;
    this.electionMax = electionMax;
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      peers.add(RaftPeer.newBuilder().setId("r" + i).setAddress("127.0.0.1:" + freePort()).build());
    }
    this.group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.randomUUID()), peers);
    for (RaftPeer peer : peers) {
      members.add(new Member(peer, root.resolve(peer.getId().toString())));
    }
  }

  /** Starts {@code size} servers and waits for a ready leader. */
  public static RawRatisCluster start(int size, Duration electionMin, Duration electionMax)
      throws IOException {
    RawRatisCluster cluster = new RawRatisCluster(size, electionMin, electionMax);
    for (int i = 0; i < size; i++) {
      cluster.startMember(i);
    }
    cluster.awaitLeader(Duration.ofSeconds(20));
    return cluster;
  }

  private synchronized void startMember(int i) throws IOException {
    Member member = members.get(i);
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(member.storage.toFile()));
    String[] hostPort = member.peer.getAddress().split(":", -1);
    GrpcConfigKeys.Server.setHost(properties, hostPort[0]);
    GrpcConfigKeys.Server.setPort(properties, Integer.parseInt(hostPort[1]));
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(electionMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(electionMax));
    RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(Duration.ofSeconds(3)));
    // The same step-down wait as the SDK (one election timeout; Ratis's default is 10 s): it is a
    // timeout too, and with the default a failover round could find no leader for 10 s and end the
    // run. Everything else stays at Ratis's defaults (the appender retry, the commit-index
    // entries).
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(properties, millis(electionMax));
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(8L * 1024 * 1024));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, false);
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
    boolean existing =
        Files.exists(
            member
                .storage
                .resolve(group.getGroupId().getUuid().toString())
                .resolve("current")
                .resolve("raft-meta"));
    CounterStateMachine stateMachine = new CounterStateMachine();
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(member.peer.getId())
            .setGroup(group)
            .setStateMachine(stateMachine)
            .setProperties(properties)
            .setOption(
                existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    server.start();
    member.stateMachine = stateMachine;
    member.server = server;
  }

  /** The number of members. */
  public int size() {
    return members.size();
  }

  /** The index of the ready leader, waiting up to {@code timeout}. */
  public int awaitLeader(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      int leader = readyLeader();
      if (leader >= 0) {
        return leader;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("raw ratis: no ready leader within " + timeout);
      }
      Polling.sleepMillis(2);
    }
  }

  /** The index of the member that leads and is ready, or -1. */
  public int readyLeader() {
    for (int i = 0; i < members.size(); i++) {
      DivisionInfo info = info(i);
      if (info != null && info.isLeader() && info.isLeaderReady()) {
        return i;
      }
    }
    return -1;
  }

  private @Nullable DivisionInfo info(int i) {
    RaftServer server = members.get(i).server;
    if (server == null) {
      return null;
    }
    try {
      return server.getDivision(group.getGroupId()).getInfo();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Submits one command to the current leader, in-process.
   *
   * @return the counter after the command; fails if there is no leader or it refuses
   */
  public CompletableFuture<Long> submit(ClientId client, long callId, byte[] payload) {
    int leader = readyLeader();
    if (leader < 0) {
      return CompletableFuture.failedFuture(new IllegalStateException("no ready leader"));
    }
    RaftServer server = members.get(leader).server;
    if (server == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("leader stopped"));
    }
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(client)
            .setServerId(members.get(leader).peer.getId())
            .setGroupId(group.getGroupId())
            .setCallId(callId)
            .setMessage(Message.valueOf(ByteString.copyFrom(payload)))
            .setType(RaftClientRequest.writeRequestType())
            .setTimeoutMs(3000)
            .build();
    try {
      return server.submitClientRequestAsync(request).thenApply(RawRatisCluster::counter);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static long counter(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(reply.getException());
    }
    return ByteBuffer.wrap(reply.getMessage().getContent().toByteArray()).getLong();
  }

  /** Stops member {@code i} abruptly (its storage stays); returns when the server is closed. */
  public void crash(int i) {
    RaftServer server;
    synchronized (this) {
      server = members.get(i).server;
      members.get(i).server = null;
    }
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Starts member {@code i} again from its storage. */
  public void restart(int i) {
    try {
      startMember(i);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether member {@code i} is running. */
  public boolean running(int i) {
    return members.get(i).server != null;
  }

  /** Hands leadership from the current leader to member {@code target} and waits for the reply. */
  public void transferLeadership(int target, Duration timeout) {
    int leader = awaitLeader(timeout);
    RaftServer server = members.get(leader).server;
    TransferLeadershipRequest request =
        new TransferLeadershipRequest(
            ClientId.randomId(),
            members.get(leader).peer.getId(),
            group.getGroupId(),
            1,
            members.get(target).peer.getId(),
            timeout.toMillis());
    try {
      RaftClientReply reply =
          server
              .transferLeadershipAsync(request)
              .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      if (!reply.isSuccess()) {
        throw new IllegalStateException(
            "transfer to " + target + " failed: " + reply.getException());
      }
    } catch (Exception e) {
      throw new IllegalStateException("transfer to " + target + " failed", e);
    }
  }

  /** The last applied index of member {@code i}, or -1 if it is down. */
  public long appliedIndex(int i) {
    CounterStateMachine sm = members.get(i).stateMachine;
    return members.get(i).server == null || sm == null ? -1 : sm.appliedIndex();
  }

  /** The counter of member {@code i} (its whole state), or -1 if it is down. */
  public long count(int i) {
    CounterStateMachine sm = members.get(i).stateMachine;
    return members.get(i).server == null || sm == null ? -1 : sm.count();
  }

  /** The commit index known to member {@code i}, or -1. */
  public long commitIndex(int i) {
    RaftServer server = members.get(i).server;
    try {
      return server == null
          ? -1
          : server.getDivision(group.getGroupId()).getRaftLog().getLastCommittedIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The current term as member {@code i} knows it, or -1. */
  public long term(int i) {
    DivisionInfo info = info(i);
    return info == null ? -1 : info.getCurrentTerm();
  }

  /** Stops every server and deletes the storage. */
  @Override
  public void close() {
    for (int i = 0; i < members.size(); i++) {
      try {
        crash(i);
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
    Polling.deleteTree(root);
  }

  private static TimeDuration millis(Duration duration) {
    return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
