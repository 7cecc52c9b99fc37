package io.steadfast.runtime;

import io.steadfast.api.SteadfastException;

/**
 * A node or cluster was configured wrongly. Raised by {@code build()} or {@code start()}, never
 * later, with a message naming the setting and the offending value.
 */
public final class ConfigurationException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final String setting;

  /** For {@code setting}, with a message naming the problem. */
  public ConfigurationException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
  }

  /** The setting that is wrong. */
  public String setting() {
    return setting;
  }
}
