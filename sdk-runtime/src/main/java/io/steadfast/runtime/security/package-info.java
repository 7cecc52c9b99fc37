/**
 * Who may reach a member, and over what: TLS from PEM files ({@link
 * io.steadfast.runtime.security.TlsFiles}), the {@link io.steadfast.runtime.security.Authenticator}
 * SPI that turns a remote request's credentials into a principal (client certificates and JWT
 * bearer tokens built in), and {@link io.steadfast.runtime.security.NodeSecurity}, everything a
 * member is told about it. See {@code docs/security.md}.
 */
@NullMarked
package io.steadfast.runtime.security;

import org.jspecify.annotations.NullMarked;
