package io.steadfast.testkit.cluster;

import io.steadfast.api.Position;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.StateDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * What one cluster scenario did and saw, for the cluster checks to judge. Filled by {@link
 * ClusterScenario} on one thread, read by the checks after it finished.
 */
final class History<C, R> {

  /** One injected fault and how the cluster came out of it. */
  static final class FaultRecord {
    final int number;
    final FaultSchedule.Kind kind;
    final String from;
    String to = "";
    final long acksBefore;
    long ackOrdinalBefore;
    boolean completed;
    boolean placedInExitPoint;
    boolean victimWasPrimary = true;
    String detail = "";
    int generation;
    long millis;
    @Nullable Position positionBefore;
    final long startNanos = System.nanoTime();

    FaultRecord(int number, FaultSchedule.Kind kind, String from, long acksBefore) {
      this.number = number;
      this.kind = kind;
      this.from = from;
      this.acksBefore = acksBefore;
      this.ackOrdinalBefore = acksBefore;
    }

    boolean isCrash() {
      return kind.name().startsWith("CRASH");
    }

    @Override
    public String toString() {
      return "fault "
          + number
          + " "
          + kind
          + " "
          + from
          + (to.isEmpty() ? "" : " -> " + to)
          + (completed ? " completed" : " NOT completed")
          + " in "
          + millis
          + " ms"
          + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  /** A node's applied position as the sampler saw it. */
  record PositionSample(String node, int incarnation, Position position) {}

  /** A node's application fingerprint at a position, as the sampler saw it. */
  record FingerprintSample(String node, Position position, String fingerprint) {}

  /** A restarted node and the position it had reached before it went down. */
  static final class Restart {
    final String node;
    final Position before;
    @Nullable Position reached;
    long catchUpMillis = -1;

    Restart(String node, Position before) {
      this.node = node;
      this.before = before;
    }
  }

  /** The session-expiry probe (RS-4). */
  static final class Expiry {
    SessionId session = SessionId.of("none");
    boolean opened;
    long ttlMillis;
    boolean expired;
    long expiredAfterMillis = -1;
    int generation;
    String nextRequest = "";
    String afterLaterFault = "";
    int callsRecorded = -1;
    String detail = "";
  }

  /** The write attempts on backups (RL-4). */
  static final class BackupProbe {
    final List<String> refusals = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    boolean quiet;
  }

  /** Commands sent by a principal with no roles (AZ-1). */
  static final class AuthorizationProbe {
    final List<String> refused = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final List<String> inconclusive = new ArrayList<>();
    boolean quiet;
  }

  /** The node left behind until it had to install a checkpoint (RL-5). */
  static final class Rejoin {
    String node = "";
    long behindIndex;
    boolean logPurged;
    boolean rejoinedByInstall;
    long millis = -1;
    String detail = "";
  }

  /** A quiet resend of a settled session's last request (RS-1). */
  record QuietResend(
      SessionId session, long sequence, boolean sameResult, boolean sameDigest, String detail) {}

  FaultSchedule schedule = FaultSchedule.generate(0, false);
  long started = System.nanoTime();
  final List<String> timeline = new CopyOnWriteArrayList<>();
  final List<FaultRecord> faults = new ArrayList<>();
  final List<PositionSample> positions = new CopyOnWriteArrayList<>();
  final List<FingerprintSample> fingerprints = new CopyOnWriteArrayList<>();
  final List<Restart> restarts = new ArrayList<>();
  final Expiry expiry = new Expiry();
  final List<BackupProbe> backupProbes = new ArrayList<>();
  final List<AuthorizationProbe> authorizationProbes = new ArrayList<>();
  final List<Rejoin> rejoins = new ArrayList<>();
  final List<QuietResend> quietResends = new ArrayList<>();

  /** Sessions the scenario itself opened (the expiry probe): request number to command. */
  final Map<SessionId, Map<Long, C>> ownSessions = new LinkedHashMap<>();

  final Map<String, StateDigest> finalDigests = new LinkedHashMap<>();
  final Map<String, String> finalFingerprints = new LinkedHashMap<>();
  final Map<String, Position> finalPositions = new LinkedHashMap<>();
  long convergenceMillis = -1;
  long convergenceLimitMillis;
  String convergenceDetail = "";

  /** Why the scenario stopped early, or null if it ran to the end. */
  @Nullable String abortedBecause;

  long durationMillis;
  Observations<C> observations = new Observations<>();
  @Nullable ExitTimings timings;
  @Nullable LoadDriver<C, R> load;

  void event(String text) {
    timeline.add(
        String.format(
            java.util.Locale.ROOT, "+%8.3f s  %s", (System.nanoTime() - started) / 1e9, text));
  }

  LoadDriver<C, R> load() {
    if (load == null) {
      throw new IllegalStateException("the scenario did not start its load");
    }
    return load;
  }
}
