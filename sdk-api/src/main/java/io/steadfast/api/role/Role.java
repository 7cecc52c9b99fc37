package io.steadfast.api.role;

import io.steadfast.api.role.RoleChange.Reason;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The role of one node.
 *
 * <p>The legal transitions, with the reasons allowed for each, form a table read by the runtime
 * (which never delivers an illegal change) and by the testkit (which checks the callbacks an
 * application received):
 *
 * <pre>
 * from       to        reasons
 * INACTIVE   BACKUP    START, RESTART
 * BACKUP     PRIMARY   START, FAILOVER, SWITCHOVER, HEALTH
 * BACKUP     BACKUP    REJOIN
 * PRIMARY    BACKUP    SWITCHOVER, HEALTH, FAILOVER
 * INACTIVE,
 * BACKUP,
 * PRIMARY    ENDED     END
 * </pre>
 *
 * <p>{@code PRIMARY → BACKUP} with reason {@code FAILOVER} is a deposed primary: another node was
 * elected while this one was cut off. Nothing follows {@code ENDED}.
 */
public enum Role {
  /** Created, not yet started. The role before the first callback. */
  INACTIVE,
  /** Keeps a mirrored copy of the state and applies the journal; never accepts writes. */
  BACKUP,
  /** Accepts writes, journals them and answers linearizable reads. At most one per epoch. */
  PRIMARY,
  /** Stopped for good; no callback follows. */
  ENDED;

  private static final Map<Role, Map<Role, Set<Reason>>> LEGAL = new EnumMap<>(Role.class);

  static {
    for (Role role : values()) {
      LEGAL.put(role, new EnumMap<>(Role.class));
    }
    from(INACTIVE).put(BACKUP, EnumSet.of(Reason.START, Reason.RESTART));
    from(BACKUP)
        .put(PRIMARY, EnumSet.of(Reason.START, Reason.FAILOVER, Reason.SWITCHOVER, Reason.HEALTH));
    from(BACKUP).put(BACKUP, EnumSet.of(Reason.REJOIN));
    from(PRIMARY).put(BACKUP, EnumSet.of(Reason.SWITCHOVER, Reason.HEALTH, Reason.FAILOVER));
    for (Role from : EnumSet.of(INACTIVE, BACKUP, PRIMARY)) {
      from(from).put(ENDED, EnumSet.of(Reason.END));
    }
  }

  /** The legal moves from {@code role}: every role has an entry, filled in above. */
  private static Map<Role, Set<Reason>> from(Role role) {
    return Objects.requireNonNull(LEGAL.get(role), "transition table");
  }

  /** Whether a node in this role may move to {@code to} for {@code reason}. */
  public boolean canChange(Role to, Reason reason) {
    Set<Reason> reasons = from(this).get(to);
    return reasons != null && reasons.contains(reason);
  }

  /** The reasons for which this role may move to {@code to}; empty if it never may. */
  public Set<Reason> reasonsFor(Role to) {
    Set<Reason> reasons = from(this).get(to);
    return reasons == null ? EnumSet.noneOf(Reason.class) : EnumSet.copyOf(reasons);
  }
}
