package io.steadfast.runtime;

import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import io.steadfast.runtime.internal.ratis.StateMachineAdapter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The audit view of one replica, from {@link SteadfastNode#audit()}: what auditors, the
 * certification testkit and tests read of a replica's state, and nothing that changes it. Each call
 * runs between two applies, under the state's read lock, so it waits for an apply in progress and
 * holds up the next one while it runs: not for hot paths.
 *
 * <p>Thread-safe. Not intended to be implemented by applications.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class NodeAudit<C, R> {

  private final NodeId node;
  private final StateMachineAdapter<C, R> stateMachine;

  NodeAudit(NodeId node, StateMachineAdapter<C, R> stateMachine) {
    this.node = node;
    this.stateMachine = stateMachine;
  }

  /**
   * Fingerprints this replica's whole state (the runtime's replicated part and the application's
   * checkpoint) as it is now. Costs a full in-memory checkpoint of the application.
   *
   * @throws SteadfastException if the application's checkpoint fails
   */
  public StateDigest digest() {
    return stateMachine.read(
        core -> {
          try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
              core.writeState(out);
              StreamCheckpointWriter writer = new StreamCheckpointWriter(out);
              core.application().checkpoint(writer);
              writer.flush();
            }
            byte[] all = bytes.toByteArray();
            return new StateDigest(
                core.lastPosition(),
                stateMachine.lastAppliedIndex(),
                HexFormat.of().formatHex(sha.digest(all)),
                all.length);
          } catch (IOException | NoSuchAlgorithmException e) {
            throw new SteadfastException("node " + node + " could not fingerprint its state", e);
          }
        });
  }

  /**
   * Runs {@code reader} against this replica's application instance. The reader must not change the
   * state or keep the instance.
   */
  public <T extends @Nullable Object> T inspect(
      Function<? super ResilientApplication<C, R>, T> reader) {
    return stateMachine.read(core -> reader.apply(core.application()));
  }
}
