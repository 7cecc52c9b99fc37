/** The certificate: per-rule results, the level granted, and its JSON and Markdown renderings. */
@NullMarked
package io.steadfast.testkit.certificate;

import org.jspecify.annotations.NullMarked;
