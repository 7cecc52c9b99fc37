/**
 * A small, correct sample application (a ledger of accounts) and its workload, which pass every
 * pure rule; the broken variants in the self-tests derive from it.
 */
@NullMarked
package io.steadfast.testkit.sample;

import org.jspecify.annotations.NullMarked;
