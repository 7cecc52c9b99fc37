/**
 * Deliberately broken variants of the sample ledger, each breaking one rule, and the self-tests
 * that check the suite catches each with exactly that rule.
 */
@NullMarked
package io.steadfast.testkit.broken;

import org.jspecify.annotations.NullMarked;
