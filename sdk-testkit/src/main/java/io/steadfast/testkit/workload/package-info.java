/**
 * Workloads: seeded generators of realistic users, each a deterministic script of commands that
 * reacts to the results of its previous commands.
 */
@NullMarked
package io.steadfast.testkit.workload;

import org.jspecify.annotations.NullMarked;
