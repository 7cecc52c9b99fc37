package io.steadfast.testkit.rule;

/**
 * The certification levels, each including the ones before it: Resilient ⊂ ClusterProven ⊂
 * Advanced.
 */
public enum Level {
  /** Checkpoint, restore and replay are sound: checked without a cluster. */
  RESILIENT("Resilient"),
  /** Automatic failover and switchover with nothing lost: checked on an embedded cluster. */
  CLUSTER_PROVEN("ClusterProven"),
  /** Exactly-once sessions and resume at position. */
  ADVANCED("Advanced");

  private final String title;

  Level(String title) {
    this.title = title;
  }

  /** The level's name as printed in certificates: {@code Resilient}, {@code ClusterProven}, … */
  public String title() {
    return title;
  }

  /** Whether this level includes {@code other} (every level includes itself). */
  public boolean includes(Level other) {
    return other.ordinal() <= ordinal();
  }
}
