package io.steadfast.api;

import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.role.RoleChange;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A business application made continuously available by the Steadfast runtime.
 *
 * <p><b>Implemented by applications.</b> The runtime creates one instance per node through the
 * factory given to the node builder and never shares an instance between nodes.
 *
 * <p><b>Threads.</b> {@link #apply}, {@link #checkpoint}, {@link #freeze} and {@link #restore} are
 * called on the node's apply thread, one at a time and in journal order; they never overlap each
 * other. A {@link FrozenState} returned by {@code freeze} is written later on the runtime's
 * checkpoint thread, while {@code apply} goes on. {@link #query} may run on other threads at the
 * same time as other queries, but never at the same time as {@code apply}, {@code checkpoint} or
 * {@code restore}. {@link #onRoleChange} and {@link #health} are called on runtime threads of their
 * own and may overlap {@code apply}: keep whatever they read thread-safe.
 *
 * <p><b>Determinism.</b> Every replica applies the same commands in the same order and must reach
 * the same state and the same results. {@code apply} must therefore not read the wall clock, use
 * unseeded randomness, depend on the default time zone, locale or charset, or iterate unordered
 * collections in a way that affects results. Use {@link ApplyContext#timestamp()} and {@link
 * ApplyContext#random()} instead.
 *
 * <p><b>Budgets.</b> Each exit point has a time budget, declared by {@link #budgets()}. The runtime
 * measures every call and reports overruns in the node's status; what else happens on an overrun is
 * documented per exit point.
 *
 * @param <C> the command type (usually a sealed interface of records)
 * @param <R> the result type
 */
public interface ResilientApplication<C, R> {

  /**
   * Applies one command to the state and returns its result.
   *
   * <p>Called on the apply thread, in journal order, on every replica. The same state and the same
   * command must give the same new state and the same result everywhere.
   *
   * <p>Throwing an {@link Exception} is a <em>rejection</em> of the command: the runtime records it
   * as the command's outcome (the caller gets a {@link CommandRejectedException} with the
   * exception's type and message) and the application must leave its state exactly as it was before
   * the call (failure atomicity). Any resume point set during a rejected call is discarded. The
   * message reaches the first caller only: it is not kept in replicated state (it may differ
   * between replicas), so a retry of the request gets the exception's type with an empty reason.
   *
   * <p>Throwing an {@link Error}: an {@link OutOfMemoryError} or another {@link
   * VirtualMachineError} (except {@link StackOverflowError}) is not the command's fault and need
   * not happen on every replica, so it stops this node only, which later recovers from its
   * checkpoint and the journal. Any other error ({@link AssertionError}, {@link
   * StackOverflowError}, a linkage error) is taken as the command's, deterministic on every
   * replica: the runtime records an <em>application fault</em> for the command on every replica
   * (the caller gets an {@link ApplicationFaultException}; the node's status counts it), the
   * cluster keeps serving, and the state keeps whatever the call changed before it threw, the same
   * everywhere. Fix the defect.
   *
   * <p>Returning {@code null}, or a result the codec cannot encode, leaves the command applied (its
   * effects stay) but without a result: the caller gets a {@link ResultUnavailableException}.
   *
   * <p>Budget: {@link ExitPointBudgets#apply()}. An overrun is logged and counted; it cannot be
   * interrupted without breaking determinism, so keep apply short and move slow work out of it.
   *
   * @param command the decoded command, never null
   * @param context the command's position, session, leader-assigned time and seeded randomness
   * @return the result handed back to the submitter; never null
   */
  R apply(C command, ApplyContext context) throws Exception;

  /**
   * Writes the whole application state.
   *
   * <p>Called on the apply thread between two commands, so the state does not change during the
   * call. The same state must always produce the same bytes (canonical form): sort what is
   * unordered, and write numbers and text in locale-independent form. Checkpointing must not change
   * the state.
   *
   * <p>Budget: {@link ExitPointBudgets#checkpoint()}; overruns are reported. If this method throws,
   * the checkpoint is abandoned, the previous one stays in force and the journal is kept.
   *
   * @param out where to write; the runtime adds its own framing and checksum around these bytes
   * @throws IOException if writing fails
   */
  void checkpoint(CheckpointWriter out) throws IOException;

  /**
   * Captures the state for a checkpoint that the runtime writes off the apply thread, so that
   * applying commands stops only for the capture, not for the whole write.
   *
   * <p>Called on the apply thread between two commands, instead of {@link #checkpoint}. Return a
   * {@link FrozenState} over an immutable or copy-on-write view of the state (for example, share
   * the current pages of a paged store and copy a page before its next change); it must later write
   * exactly what {@link #checkpoint} would write now. Return {@code null} (the default) to have the
   * runtime call {@link #checkpoint} on the apply thread instead, which stops apply for the whole
   * write: fine for small states, seconds for millions of records.
   *
   * <p>Budget: {@link ExitPointBudgets#checkpoint()} covers the capture; overruns are reported. If
   * this method throws, the checkpoint is abandoned, the previous one stays in force and the
   * journal is kept.
   *
   * @return the captured state, or {@code null} to checkpoint synchronously
   */
  default @Nullable FrozenState freeze() {
    return null;
  }

  /**
   * Replaces the whole application state with the one in a checkpoint.
   *
   * <p>Called on the apply thread when the node starts from disk or installs a checkpoint received
   * from the primary. The runtime verifies the checksum before calling this method, so the bytes
   * are exactly those {@link #checkpoint} wrote, possibly by an earlier version of the application
   * ({@link CheckpointReader#version()}).
   *
   * <p>Budget: {@link ExitPointBudgets#restore()}. If this method throws, the node does not start
   * (or does not complete the install) and reports the checkpoint as unusable.
   *
   * @param in the checkpoint's application payload
   * @throws IOException if the payload cannot be read or is not understood
   */
  void restore(CheckpointReader in) throws IOException;

  /**
   * Answers a read-only request without journaling it.
   *
   * <p>Called on a request thread of the primary (or of a backup, for reads that explicitly accept
   * stale data). Never overlaps {@code apply}, {@code checkpoint} or {@code restore}, but may
   * overlap other queries; it must not change the state. The default refuses every query.
   *
   * <p>Budget: {@link ExitPointBudgets#query()}; overruns are reported. An exception is returned to
   * the caller as a {@link CommandRejectedException}.
   *
   * @param request the decoded request
   * @param context the position the answer reflects
   * @return the answer
   */
  default R query(C request, QueryContext context) throws Exception {
    throw new UnsupportedOperationException(
        "application does not answer queries: " + request.getClass().getSimpleName());
  }

  /**
   * Tells the application that this node's role changed.
   *
   * <p>Called on the node's role thread, one change at a time and in the legal order of {@link
   * io.steadfast.api.role.Role#canChange}; never after {@code END}. The application may use it to
   * start or stop work that only a primary does (schedulers, outbound feeds).
   *
   * <p>Budget: {@link ExitPointBudgets#roleChange()}. The runtime does not wait longer than the
   * budget: an overrun is reported and the node goes on (a hung callback never blocks the cluster).
   * An exception is logged and reported; the role change stands.
   *
   * @param change what changed, why, at which epoch and position
   */
  default void onRoleChange(RoleChange change) {}

  /**
   * Tells the primary's application that a session re-attached and will continue at its resume
   * point: a chance to warm caches for that user or log the hand-back. Not journaled and not called
   * on backups, so it must not change replicated state.
   *
   * <p>Called on the node's role thread, one call at a time, possibly while {@code apply} runs.
   * Budget: {@link ExitPointBudgets#roleChange()}; an overrun or exception is logged and reported,
   * and the re-attach succeeds regardless.
   *
   * @param resumed the session, its principal and its resume point
   */
  default void onResume(io.steadfast.api.session.SessionResumed resumed) {}

  /**
   * Reports the application's own health, probed by the runtime's heartbeat.
   *
   * <p>Called periodically on the heartbeat thread, possibly while {@code apply} runs; it must be
   * thread-safe and cheap. A primary whose application stays {@link Health.Status#DOWN DOWN} for
   * the configured number of probes hands the primary role to a healthy backup.
   *
   * <p>Budget: {@link ExitPointBudgets#health()}. A probe that throws or overruns counts as {@code
   * DOWN}.
   *
   * @return the current health
   */
  default Health health() {
    return Health.up();
  }

  /**
   * The version of the checkpoint payload this application writes.
   *
   * <p>Recorded in every checkpoint's header. A checkpoint whose version is higher than this is
   * refused with {@link io.steadfast.api.checkpoint.CheckpointException}; a lower one is handed to
   * {@link #restore} which must understand it.
   *
   * @return a positive version number, 1 by default
   */
  default int checkpointVersion() {
    return 1;
  }

  /**
   * The highest application version this code can run: the versions of behaviour it implements are
   * 1 up to this one.
   *
   * <p>A cluster runs at one <em>active</em> version, journaled and the same on every replica
   * ({@link ApplyContext#activeVersion()}). It starts at 1 and is raised only by an operator's
   * finalize, which the primary journals once every member's code supports the new version. During
   * a rolling upgrade new code therefore runs beside old code at the old active version, and must
   * behave exactly as the old version did until the finalize: new behaviour is chosen by {@code
   * context.activeVersion()}, never by the code's own version. Command types introduced by a
   * version carry {@link Since} and are refused before they are journaled while the active version
   * is lower.
   *
   * <p>Called on any thread; must return the same value for the life of the instance.
   *
   * @return a positive version number, 1 by default
   */
  default int supportedVersion() {
    return 1;
  }

  /**
   * The time budgets of this application's exit points.
   *
   * @return the budgets; {@link ExitPointBudgets#defaults()} unless overridden
   */
  default ExitPointBudgets budgets() {
    return ExitPointBudgets.defaults();
  }
}
