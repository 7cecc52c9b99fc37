package io.steadfast.runtime;

import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.internal.journal.GroupCommitter;
import io.steadfast.runtime.internal.ratis.EngineSettings;
import io.steadfast.runtime.security.NodeSecurity;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything one node is built with, validated by {@link SteadfastNode.Builder}: who it is, where
 * its peers are, where it stores, and its {@link NodeOptions}. Immutable.
 *
 * @param id this node
 * @param cluster the cluster's name
 * @param peers every member's engine address, this node's included
 * @param storage where the journal and checkpoints are kept
 * @param options how the node runs
 * @param http where this node serves HTTP, or null
 * @param peerEndpoints the other members' HTTP endpoints
 * @param security TLS, authentication and input bounds
 * @param joining whether this node is new to a running cluster: it starts outside the configuration
 *     and waits until the primary adds it
 */
record NodeSettings<C, R>(
    NodeId id,
    String cluster,
    Map<NodeId, InetSocketAddress> peers,
    Path storage,
    NodeOptions<C, R> options,
    @Nullable InetSocketAddress http,
    Map<NodeId, URI> peerEndpoints,
    NodeSecurity security,
    boolean joining) {

  /**
   * Checks a builder's settings and makes them a node's: the required ones given, this node among
   * its peers, the security consistent with where it listens.
   *
   * @throws ConfigurationException naming the first missing or inconsistent setting
   */
  static <C, R> NodeSettings<C, R> checked(
      @Nullable NodeId id,
      String cluster,
      Map<NodeId, InetSocketAddress> peers,
      @Nullable Path storage,
      NodeOptions<C, R> options,
      @Nullable InetSocketAddress http,
      Map<NodeId, URI> peerEndpoints,
      NodeSecurity security,
      boolean joining) {
    if (id == null) {
      throw new ConfigurationException("id", "missing");
    }
    if (storage == null) {
      throw new ConfigurationException("storage", "missing");
    }
    options.requireComplete();
    InetSocketAddress own = peers.get(id);
    if (own == null) {
      throw new ConfigurationException(
          "peer", "this node " + id + " is not among the peers " + peers.keySet());
    }
    Map<NodeId, URI> others = new TreeMap<>(peerEndpoints);
    others.remove(id);
    if (joining && peers.size() < 2) {
      throw new ConfigurationException(
          "join", "a joining node " + id + " must be given at least one running member to join");
    }
    security.check(id.value(), own, http, others.values());
    return new NodeSettings<>(
        id,
        cluster,
        Map.copyOf(peers),
        storage,
        options,
        http,
        Map.copyOf(others),
        security,
        joining);
  }

  Supplier<ResilientApplication<C, R>> applications() {
    return options.applications();
  }

  CommandCodec<C, R> codec() {
    return options.codec();
  }

  EngineSettings engine() {
    return options.engine();
  }

  GroupCommitter.Limits groupCommit() {
    return options.groupCommit();
  }

  Duration requestDeadline() {
    return options.requestDeadline();
  }

  Clock clock() {
    return options.clock();
  }

  Duration healthInterval() {
    return options.healthInterval();
  }

  int probesBeforeHandOver() {
    return options.probesBeforeHandOver();
  }
}
