package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.examples.collection.CollectionCommand.ChargeOff;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.security.DenyAll;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

class AuthorizationTest {

  private static final Set<String> ROLES =
      Set.of(CollectionRoles.COLLECTOR, CollectionRoles.SUPERVISOR, CollectionRoles.MANAGER);

  @Test
  void everyMutation_declaresKnownRolesAndNoPermitAll() {
    Set<Class<?>> mutations = Samples.leafClasses(CollectionCommand.Mutation.class);

    assertThat(mutations).hasSize(7);
    for (Class<?> type : mutations) {
      RolesAllowed allowed = type.getAnnotation(RolesAllowed.class);
      assertThat(allowed).as(type.getSimpleName()).isNotNull();
      assertThat(allowed.value()).as(type.getSimpleName()).isNotEmpty();
      assertThat(ROLES).as(type.getSimpleName()).contains(allowed.value());
      assertThat(type.getAnnotation(PermitAll.class)).as(type.getSimpleName()).isNull();
      assertThat(type.getAnnotation(DenyAll.class)).as(type.getSimpleName()).isNull();
    }
  }

  @Test
  void everyQuery_isPermitAll() {
    Set<Class<?>> queries = Samples.leafClasses(CollectionCommand.Query.class);

    assertThat(queries).hasSize(2);
    for (Class<?> type : queries) {
      assertThat(type.getAnnotation(PermitAll.class)).as(type.getSimpleName()).isNotNull();
      assertThat(type.getAnnotation(RolesAllowed.class)).as(type.getSimpleName()).isNull();
    }
  }

  @Test
  void rolesPerCommand_matchTheDocumentedTable() {
    Map<String, Set<String>> actual = new TreeMap<>();
    for (Class<?> type : Samples.leafClasses(CollectionCommand.Mutation.class)) {
      actual.put(type.getSimpleName(), Set.of(type.getAnnotation(RolesAllowed.class).value()));
    }

    Set<String> everyone = ROLES;
    Set<String> supervisors = Set.of(CollectionRoles.SUPERVISOR, CollectionRoles.MANAGER);
    assertThat(actual)
        .containsEntry(ChargeOff.class.getSimpleName(), Set.of(CollectionRoles.MANAGER))
        .containsEntry(OpenDelinquentAccount.class.getSimpleName(), supervisors)
        .containsEntry(RunDailyAging.class.getSimpleName(), supervisors)
        .containsEntry("NextInQueue", everyone)
        .containsEntry("LogContact", everyone)
        .containsEntry("RecordPromise", everyone)
        .containsEntry("PostPayment", everyone);
  }

  @Test
  void principalFactories_holdExactlyTheirRole() {
    assertThat(CollectionRoles.collector("carol").roles()).containsExactly("collector");
    assertThat(CollectionRoles.supervisor("sam").roles()).containsExactly("supervisor");
    assertThat(CollectionRoles.manager("mia").roles()).containsExactly("manager");
    assertThat(CollectionRoles.collector("carol").user()).isEqualTo("carol");
  }
}
