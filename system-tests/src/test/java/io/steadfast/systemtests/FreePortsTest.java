package io.steadfast.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The system tests ask for ports one batch at a time (a cluster's ports, then each member's metrics
 * port). The system may give a port again once its socket is closed; a port handed out twice is two
 * members on one port, and one of them cannot start.
 */
class FreePortsTest {

  @Test
  void noPortIsHandedOutTwice() throws Exception {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 1_500; i++) {
      for (int port : SystemTestSupport.freePorts(i % 3 == 0 ? 2 : 1)) {
        assertThat(seen.add(port)).as("port %d handed out before (request %d)", port, i).isTrue();
      }
    }
  }
}
