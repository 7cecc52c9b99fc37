/** A small ledger application the runtime's own tests run on a cluster. */
@NullMarked
package io.steadfast.runtime.testapp;

import org.jspecify.annotations.NullMarked;
