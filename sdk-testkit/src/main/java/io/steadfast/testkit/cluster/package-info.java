/**
 * The cluster rules (ClusterProven and Advanced): one seeded scenario on an embedded three-node
 * cluster under load, with switchovers, crashes of the primary (also inside {@code apply} and
 * during a checkpoint), a node left behind until it must install a checkpoint, an expiring session
 * and write attempts on backups, observed through a wrapper around every replica's application; the
 * checks then judge what was recorded.
 */
@NullMarked
package io.steadfast.testkit.cluster;

import org.jspecify.annotations.NullMarked;
