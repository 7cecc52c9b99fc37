/**
 * Sessions: who is working ({@link io.steadfast.api.session.Principal}), under which {@link
 * io.steadfast.api.session.SessionId}, and where they were working ({@link
 * io.steadfast.api.session.ResumePoint}), with the errors a session's requests can meet.
 */
@NullMarked
package io.steadfast.api.session;

import org.jspecify.annotations.NullMarked;
