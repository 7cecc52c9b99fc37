/**
 * The rule model: a rule's id, level and intent, the verdicts, and the {@link
 * io.steadfast.testkit.rule.RuleCheck} interface through which pure and cluster checks plug into
 * the suite.
 */
@NullMarked
package io.steadfast.testkit.rule;

import org.jspecify.annotations.NullMarked;
