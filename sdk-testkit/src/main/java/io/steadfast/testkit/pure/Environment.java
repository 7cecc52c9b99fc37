package io.steadfast.testkit.pure;

import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.Callable;

/**
 * A default time zone and locale to run application code under, restored afterwards. The two
 * constants are chosen to expose the usual mistakes: far-apart zones with odd offsets, and locales
 * with their own case rules (Turkish dotless i) and digits (Thai).
 */
record Environment(String zone, String locale) {

  /** UTC+14 and Turkish. */
  static final Environment FIRST = new Environment("Pacific/Kiritimati", "tr-TR");

  /** UTC-3:30 (with daylight saving) and Thai with Thai digits. */
  static final Environment SECOND = new Environment("America/St_Johns", "th-TH-u-nu-thai");

  <T> T call(Callable<T> body) throws Exception {
    TimeZone zoneBefore = TimeZone.getDefault();
    Locale localeBefore = Locale.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    Locale.setDefault(Locale.forLanguageTag(locale));
    try {
      return body.call();
    } finally {
      TimeZone.setDefault(zoneBefore);
      Locale.setDefault(localeBefore);
    }
  }

  @Override
  public String toString() {
    return zone + "/" + locale;
  }
}
