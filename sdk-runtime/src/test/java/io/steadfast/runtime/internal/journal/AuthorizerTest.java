package io.steadfast.runtime.internal.journal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import javax.annotation.security.DenyAll;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

class AuthorizerTest {

  @RolesAllowed("clerk")
  sealed interface Command {}

  record Deposit() implements Command {}

  @RolesAllowed({"auditor", "manager"})
  record Close() implements Command {}

  @PermitAll
  record Ping() implements Command {}

  @DenyAll
  record Purge() implements Command {}

  private final Authorizer authorizer = new Authorizer();

  @Test
  void concreteTypeWins_overItsSealedParent() {
    Principal auditor = Principal.of("a", "auditor");
    assertThatCode(() -> authorizer.check(auditor, new Close())).doesNotThrowAnyException();
    assertThatThrownBy(() -> authorizer.check(Principal.of("c", "clerk"), new Close()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.commandType()).isEqualTo("Close");
              org.assertj.core.api.Assertions.assertThat(e.requiredRoles())
                  .containsExactlyInAnyOrder("auditor", "manager");
            });
  }

  @Test
  void unannotatedSubtype_inheritsTheParentsRoles() {
    assertThatCode(() -> authorizer.check(Principal.of("c", "clerk"), new Deposit()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> authorizer.check(Principal.of("g", "guest"), new Deposit()))
        .isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void permitAllAndDenyAll() {
    assertThatCode(() -> authorizer.check(Principal.of("g"), new Ping()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> authorizer.check(Principal.of("m", "manager", "clerk"), new Purge()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.requiredRoles()).isEmpty());
  }
}
