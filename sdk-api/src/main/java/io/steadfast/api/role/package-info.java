/**
 * The role model as data: the {@link io.steadfast.api.role.Role roles} a node can hold, the {@link
 * io.steadfast.api.role.RoleChange.Reason reasons} it changes role, and the table of legal
 * transitions that the runtime, the specification and the testkit all read.
 */
@NullMarked
package io.steadfast.api.role;

import org.jspecify.annotations.NullMarked;
