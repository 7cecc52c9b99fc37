package io.steadfast.examples.demo;

import io.steadfast.api.NodeId;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.SteadfastNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one member of a mortgage cluster as a process of its own, the way it runs in production:
 * start one per machine, each with its own id and storage and the same member list. Each member
 * also serves HTTP on its Raft port plus 1000, for remote clients, load-balancer checks and
 * checkpoint transfer. Stops gracefully on Ctrl-C.
 *
 * <p>Usage: {@code MortgageNode <id> <storage dir> <id=host:port>,<id=host:port>,...}, for example
 * {@code MortgageNode n1 /var/lib/mlps n1=10.0.0.1:9101,n2=10.0.0.2:9101,n3=10.0.0.3:9101}.
 */
public final class MortgageNode {

  /** What is added to a member's Raft port to give its HTTP port. */
  static final int HTTP_PORT_OFFSET = 1000;

  private MortgageNode() {}

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println(
          "usage: MortgageNode <id> <storage dir> <id=host:port>,<id=host:port>,...");
      System.exit(2);
    }
    NodeId self = NodeId.of(args[0]);
    Map<NodeId, InetSocketAddress> members = members(args[2]);
    SteadfastNode<LoanCommand, LoanResult> node = build(self, Path.of(args[1]), members);
    node.addRoleListener(
        change ->
            System.out.printf(
                "%s: %s -> %s (%s), epoch %d%n",
                change.node(), change.from(), change.to(), change.reason(), change.epoch()));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "shutdown"));
    node.start();
    Thread.currentThread().join();
  }

  /** Builds (but does not start) member {@code self} of the cluster {@code members}. */
  static SteadfastNode<LoanCommand, LoanResult> build(
      NodeId self, Path storage, Map<NodeId, InetSocketAddress> members) {
    InetSocketAddress own = members.get(self);
    if (own == null) {
      throw new IllegalArgumentException(
          "node " + self + " is not among the members " + members.keySet());
    }
    SteadfastNode.Builder<LoanCommand, LoanResult> builder =
        SteadfastNode.<LoanCommand, LoanResult>builder()
            .id(self)
            .cluster("mlps")
            .storage(storage)
            .application(MortgageLoanApplication::new)
            .codec(MortgageLoanApplication.codec())
            .http(httpAddress(own));
    members.forEach(
        (id, address) -> {
          builder.peer(id, address);
          InetSocketAddress http = httpAddress(address);
          builder.peerEndpoint(
              id, URI.create("http://" + http.getHostString() + ":" + http.getPort()));
        });
    return builder.build();
  }

  private static InetSocketAddress httpAddress(InetSocketAddress raft) {
    return new InetSocketAddress(raft.getHostString(), raft.getPort() + HTTP_PORT_OFFSET);
  }

  private static Map<NodeId, InetSocketAddress> members(String list) {
    Map<NodeId, InetSocketAddress> members = new LinkedHashMap<>();
    for (String member : list.split(",", -1)) {
      if (member.isBlank()) {
        continue;
      }
      String[] idAndAddress = member.split("=", 2);
      int colon = idAndAddress.length == 2 ? idAndAddress[1].lastIndexOf(':') : -1;
      if (colon < 0) {
        throw new IllegalArgumentException("member must be id=host:port: " + member);
      }
      members.put(
          NodeId.of(idAndAddress[0]),
          new InetSocketAddress(
              idAndAddress[1].substring(0, colon),
              Integer.parseInt(idAndAddress[1].substring(colon + 1))));
    }
    return members;
  }
}
