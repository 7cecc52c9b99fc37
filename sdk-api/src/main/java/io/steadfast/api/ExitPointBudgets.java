package io.steadfast.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each exit point of an application may take.
 *
 * <p>Immutable and thread-safe. Build from {@link #defaults()} with the {@code with…} methods; each
 * validates its argument at once.
 */
public final class ExitPointBudgets {

  private static final ExitPointBudgets DEFAULTS =
      new ExitPointBudgets(
          Duration.ofMillis(100),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofMillis(500));

  private final Duration apply;
  private final Duration checkpoint;
  private final Duration restore;
  private final Duration query;
  private final Duration roleChange;
  private final Duration health;

  private ExitPointBudgets(
      Duration apply,
      Duration checkpoint,
      Duration restore,
      Duration query,
      Duration roleChange,
      Duration health) {
    this.apply = apply;
    this.checkpoint = checkpoint;
    this.restore = restore;
    this.query = query;
    this.roleChange = roleChange;
    this.health = health;
  }

  /**
   * The defaults: apply 100 ms, checkpoint 30 s, restore 60 s, query 1 s, role change 5 s, health
   * 500 ms.
   */
  public static ExitPointBudgets defaults() {
    return DEFAULTS;
  }

  /** Budget of one {@code apply} call. */
  public Duration apply() {
    return apply;
  }

  /** Budget of one {@code checkpoint} call. */
  public Duration checkpoint() {
    return checkpoint;
  }

  /** Budget of one {@code restore} call. */
  public Duration restore() {
    return restore;
  }

  /** Budget of one {@code query} call. */
  public Duration query() {
    return query;
  }

  /** Budget of one {@code onRoleChange} call. */
  public Duration roleChange() {
    return roleChange;
  }

  /** Budget of one {@code health} probe. */
  public Duration health() {
    return health;
  }

  /** A copy with another apply budget. */
  public ExitPointBudgets withApply(Duration budget) {
    return new ExitPointBudgets(
        check("apply", budget), checkpoint, restore, query, roleChange, health);
  }

  /** A copy with another checkpoint budget. */
  public ExitPointBudgets withCheckpoint(Duration budget) {
    return new ExitPointBudgets(
        apply, check("checkpoint", budget), restore, query, roleChange, health);
  }

  /** A copy with another restore budget. */
  public ExitPointBudgets withRestore(Duration budget) {
    return new ExitPointBudgets(
        apply, checkpoint, check("restore", budget), query, roleChange, health);
  }

  /** A copy with another query budget. */
  public ExitPointBudgets withQuery(Duration budget) {
    return new ExitPointBudgets(
        apply, checkpoint, restore, check("query", budget), roleChange, health);
  }

  /** A copy with another role-change budget. */
  public ExitPointBudgets withRoleChange(Duration budget) {
    return new ExitPointBudgets(
        apply, checkpoint, restore, query, check("roleChange", budget), health);
  }

  /** A copy with another health budget. */
  public ExitPointBudgets withHealth(Duration budget) {
    return new ExitPointBudgets(
        apply, checkpoint, restore, query, roleChange, check("health", budget));
  }

  private static Duration check(String name, Duration budget) {
    Objects.requireNonNull(budget, name);
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException(name + " budget must be positive: " + budget);
    }
    return budget;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExitPointBudgets b
        && apply.equals(b.apply)
        && checkpoint.equals(b.checkpoint)
        && restore.equals(b.restore)
        && query.equals(b.query)
        && roleChange.equals(b.roleChange)
        && health.equals(b.health);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apply, checkpoint, restore, query, roleChange, health);
  }

  @Override
  public String toString() {
    return "ExitPointBudgets{apply="
        + apply
        + ", checkpoint="
        + checkpoint
        + ", restore="
        + restore
        + ", query="
        + query
        + ", roleChange="
        + roleChange
        + ", health="
        + health
        + "}";
  }
}
