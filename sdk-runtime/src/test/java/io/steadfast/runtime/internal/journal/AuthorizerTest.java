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

  /** No annotation here or on any supertype. */
  record Bare() {}

  @jakarta.annotation.security.RolesAllowed("teller")
  sealed interface JakartaCommand {}

  record Withdraw() implements JakartaCommand {}

  @jakarta.annotation.security.PermitAll
  record Echo() implements JakartaCommand {}

  @jakarta.annotation.security.DenyAll
  record Wipe() implements JakartaCommand {}

  private final Authorizer authorizer = new Authorizer();

  @Test
  void unannotatedType_isRefused_failingClosed() {
    assertThatThrownBy(() -> authorizer.check(Principal.of("m", "manager", "clerk"), new Bare()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.commandType()).isEqualTo("Bare");
              org.assertj.core.api.Assertions.assertThat(e.getMessage())
                  .contains("declares no @RolesAllowed");
            });
  }

  @Test
  void unannotatedType_isPermitted_whenTheApplicationSaysSo() {
    assertThatCode(() -> new Authorizer(true).check(Principal.of("g"), new Bare()))
        .doesNotThrowAnyException();
    // A declared rule still holds.
    assertThatThrownBy(() -> new Authorizer(true).check(Principal.of("g"), new Close()))
        .isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void jakartaAnnotations_areHonoured() {
    assertThatCode(() -> authorizer.check(Principal.of("t", "teller"), new Withdraw()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> authorizer.check(Principal.of("c", "clerk"), new Withdraw()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.requiredRoles())
                    .containsExactly("teller"));
    assertThatCode(() -> authorizer.check(Principal.of("g"), new Echo()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> authorizer.check(Principal.of("t", "teller"), new Wipe()))
        .isInstanceOf(NotAuthorizedException.class);
  }

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
