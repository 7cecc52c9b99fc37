package io.steadfast.testkit.rule;

/**
 * Something an application may declare about itself that makes a rule not applicable. A waived rule
 * is reported as {@link Verdict#SKIPPED} with the declaration as its reason, never as passed, and
 * where the suite can, it checks that the declaration is true.
 */
public enum Capability {
  /**
   * The application's {@code apply} never rejects a command (never throws). Waives JR-3 (failure
   * atomicity); the suite still fails JR-3 if any command of the trace is rejected.
   */
  NO_REJECTIONS("apply never rejects a command"),
  /**
   * The application has no effects outside its state (no outbox, no calls out). Waives the cluster
   * rule on effects leaving through an outbox.
   */
  NO_EXTERNAL_EFFECTS("no external effects"),
  /**
   * Every command type is open to every user ({@code @PermitAll}, or the node builder's {@code
   * permitUnannotatedCommands()}). Waives AZ-1 (commands refused to a principal without roles).
   */
  OPEN_TO_EVERY_USER("every command is open to every user");

  private final String declaration;

  Capability(String declaration) {
    this.declaration = declaration;
  }

  /** The declaration in words, for reports. */
  public String declaration() {
    return declaration;
  }
}
