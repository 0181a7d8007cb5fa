package dev.scopedtokens.scope;

import static dev.scopedtokens.scope.OwnerAccess.ADMIN;
import static dev.scopedtokens.scope.OwnerAccess.NONE;
import static dev.scopedtokens.scope.OwnerAccess.READ;
import static dev.scopedtokens.scope.OwnerAccess.WRITE;
import static dev.scopedtokens.scope.RegistryAction.DELETE;
import static dev.scopedtokens.scope.RegistryAction.PULL;
import static dev.scopedtokens.scope.RegistryAction.PUSH;
import static dev.scopedtokens.scope.RepositoryVisibility.PRIVATE;
import static dev.scopedtokens.scope.RepositoryVisibility.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

class AccessPolicyTest {

  private static final Gen<List<Scope>> SCOPE_LISTS =
      lists().of(arbitrary().enumValues(Scope.class)).ofSizeBetween(0, 5);
  private static final Gen<RepositoryVisibility> VISIBILITIES =
      arbitrary().enumValues(RepositoryVisibility.class);
  private static final Gen<OwnerAccess> ACCESSES = arbitrary().enumValues(OwnerAccess.class);
  private static final Gen<RegistryAction> ACTIONS = arbitrary().enumValues(RegistryAction.class);

  /** The whole decision matrix, written out from the rules rather than derived from the code. */
  @ParameterizedTest(name = "{0} on {1} with owner access {2}: {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          REPO_PUBLIC_READ | PUBLIC  | NONE  | pull
          REPO_PUBLIC_READ | PUBLIC  | READ  | pull
          REPO_PUBLIC_READ | PUBLIC  | WRITE | pull
          REPO_PUBLIC_READ | PUBLIC  | ADMIN | pull
          REPO_PUBLIC_READ | PRIVATE | NONE  | -
          REPO_PUBLIC_READ | PRIVATE | READ  | -
          REPO_PUBLIC_READ | PRIVATE | WRITE | -
          REPO_PUBLIC_READ | PRIVATE | ADMIN | -
          REPO_READ        | PUBLIC  | NONE  | pull
          REPO_READ        | PUBLIC  | READ  | pull
          REPO_READ        | PUBLIC  | WRITE | pull
          REPO_READ        | PUBLIC  | ADMIN | pull
          REPO_READ        | PRIVATE | NONE  | -
          REPO_READ        | PRIVATE | READ  | pull
          REPO_READ        | PRIVATE | WRITE | pull
          REPO_READ        | PRIVATE | ADMIN | pull
          REPO_WRITE       | PUBLIC  | NONE  | pull
          REPO_WRITE       | PUBLIC  | READ  | pull
          REPO_WRITE       | PUBLIC  | WRITE | pull push
          REPO_WRITE       | PUBLIC  | ADMIN | pull push
          REPO_WRITE       | PRIVATE | NONE  | -
          REPO_WRITE       | PRIVATE | READ  | pull
          REPO_WRITE       | PRIVATE | WRITE | pull push
          REPO_WRITE       | PRIVATE | ADMIN | pull push
          REPO_ADMIN       | PUBLIC  | NONE  | pull
          REPO_ADMIN       | PUBLIC  | READ  | pull
          REPO_ADMIN       | PUBLIC  | WRITE | pull push
          REPO_ADMIN       | PUBLIC  | ADMIN | pull push delete
          REPO_ADMIN       | PRIVATE | NONE  | -
          REPO_ADMIN       | PRIVATE | READ  | pull
          REPO_ADMIN       | PRIVATE | WRITE | pull push
          REPO_ADMIN       | PRIVATE | ADMIN | pull push delete
          """)
  void allowedActions_followTheDecisionMatrix(
      Scope scope, RepositoryVisibility visibility, OwnerAccess access, String expected) {
    Set<RegistryAction> expectedActions =
        expected.equals("-")
            ? Set.of()
            : Arrays.stream(expected.split(" "))
                .map(RegistryAction::parse)
                .collect(Collectors.toSet());

    assertThat(AccessPolicy.allowedActions(Set.of(scope), visibility, access))
        .containsExactlyInAnyOrderElementsOf(expectedActions);
  }

  @ParameterizedTest
  @EnumSource(Scope.class)
  void everyScope_pullsAPublicRepository_evenWhenTheOwnerHasNoAccess(Scope scope) {
    assertThat(AccessPolicy.decide(Set.of(scope), PUBLIC, NONE, PULL).allowed()).isTrue();
  }

  @Test
  void publicRead_neverPullsAPrivateRepository_evenForItsAdmin() {
    RepositoryDecision decision =
        AccessPolicy.decide(Set.of(Scope.REPO_PUBLIC_READ), PRIVATE, ADMIN, PULL);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason())
        .isEqualTo(
            "pull denied: scope repo:public_read does not allow pull on a private repository;"
                + " it needs repo:read or higher");
  }

  @Test
  void read_pullsAPrivateRepositoryTheOwnerCanRead() {
    assertThat(AccessPolicy.decide(Set.of(Scope.REPO_READ), PRIVATE, READ, PULL).allowed())
        .isTrue();
  }

  @Test
  void read_doesNotPullAPrivateRepositoryTheOwnerCannotReach() {
    RepositoryDecision decision = AccessPolicy.decide(Set.of(Scope.REPO_READ), PRIVATE, NONE, PULL);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason())
        .isEqualTo(
            "pull denied: the token's owner has no access to this private repository and pull"
                + " needs read access; a token never allows more than its owner may do");
  }

  @Test
  void read_neverPushes_evenWhereTheOwnerIsAdmin() {
    RepositoryDecision decision =
        AccessPolicy.decide(Set.of(Scope.REPO_READ), PRIVATE, ADMIN, PUSH);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason())
        .isEqualTo(
            "push denied: scope repo:read does not allow push; it needs repo:write or higher");
  }

  @Test
  void write_pushesWhereTheOwnerCanWrite() {
    assertThat(AccessPolicy.decide(Set.of(Scope.REPO_WRITE), PRIVATE, WRITE, PUSH).allowed())
        .isTrue();
  }

  @Test
  void write_doesNotPushWhereTheOwnerCanOnlyRead() {
    RepositoryDecision decision = AccessPolicy.decide(Set.of(Scope.REPO_WRITE), PUBLIC, READ, PUSH);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason())
        .isEqualTo(
            "push denied: the token's owner has read access to this public repository and push"
                + " needs write access; a token never allows more than its owner may do");
  }

  @Test
  void write_neverDeletes() {
    assertThat(AccessPolicy.decide(Set.of(Scope.REPO_WRITE), PRIVATE, ADMIN, DELETE).allowed())
        .isFalse();
  }

  @Test
  void admin_deletesWhereTheOwnerIsAdmin() {
    RepositoryDecision decision =
        AccessPolicy.decide(Set.of(Scope.REPO_ADMIN), PRIVATE, ADMIN, DELETE);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.reason())
        .isEqualTo(
            "delete allowed: scope repo:admin allows it and the token's owner has admin access to"
                + " this private repository");
  }

  @Test
  void admin_doesNotDeleteWhereTheOwnerCanOnlyWrite() {
    assertThat(AccessPolicy.decide(Set.of(Scope.REPO_ADMIN), PRIVATE, WRITE, DELETE).allowed())
        .isFalse();
  }

  @Test
  void pullOfAPublicRepository_saysItIsPublic() {
    assertThat(AccessPolicy.decide(Set.of(Scope.REPO_PUBLIC_READ), PUBLIC, NONE, PULL).reason())
        .isEqualTo(
            "pull allowed: the repository is public and scope repo:public_read pulls public"
                + " repositories");
  }

  @Test
  void theHighestOfSeveralScopes_decides() {
    assertThat(
            AccessPolicy.allowedActions(
                List.of(Scope.REPO_READ, Scope.REPO_ADMIN, Scope.REPO_PUBLIC_READ), PRIVATE, ADMIN))
        .containsExactly(PULL, PUSH, DELETE);
  }

  @Test
  void aTokenWithNoScope_isAllowedNothing() {
    RepositoryDecision decision = AccessPolicy.decide(Set.of(), PUBLIC, ADMIN, PULL);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("pull denied: the token carries no scope");
  }

  @Test
  void allowedActions_isUnmodifiable() {
    Set<RegistryAction> actions =
        AccessPolicy.allowedActions(Set.of(Scope.REPO_READ), PUBLIC, READ);

    assertThatThrownBy(() -> actions.add(PUSH)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void allowedActions_ofARepositoryAccess_matchesTheSeparateArguments() {
    assertThat(
            AccessPolicy.allowedActions(
                Set.of(Scope.REPO_WRITE), RepositoryAccess.of(PRIVATE, WRITE)))
        .containsExactly(PULL, PUSH);
  }

  @Test
  void anInaccessibleRepository_allowsNothing_evenToAdmin() {
    assertThat(AccessPolicy.allowedActions(Set.of(Scope.REPO_ADMIN), RepositoryAccess.INACCESSIBLE))
        .isEmpty();
  }

  @Test
  void decide_rejectsNullArguments_namingThem() {
    assertThatThrownBy(() -> AccessPolicy.decide(Set.of(Scope.REPO_READ), null, READ, PULL))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("visibility");
  }

  @ParameterizedTest
  @EnumSource(AccountAction.class)
  void noToken_mayAdministerItsAccount_notEvenAdmin(AccountAction action) {
    assertThat(AccessPolicy.accountDenial(action))
        .startsWith("denied: ")
        .contains(action.description())
        .endsWith("; sign in with the account's password instead");
  }

  @Test
  void managingAccessTokens_isDeniedToAnySessionThatBeganWithAToken() {
    assertThat(AccessPolicy.accountDenial(AccountAction.MANAGE_ACCESS_TOKENS))
        .isEqualTo(
            "denied: a session that began with an access token may not manage access tokens;"
                + " sign in with the account's password instead");
  }

  @Test
  void changingThePassword_isDeniedWhateverTheScopes() {
    assertThat(AccessPolicy.accountDenial(AccountAction.CHANGE_PASSWORD))
        .isEqualTo(
            "denied: an access token may never change the account's password, whatever its"
                + " scopes; sign in with the account's password instead");
  }

  @Test
  void aDecision_neverExceedsWhatTheOwnerMayDo() {
    qt().forAll(SCOPE_LISTS, VISIBILITIES, ACCESSES, ACTIONS)
        .check(
            (scopes, visibility, access, action) ->
                !AccessPolicy.decide(scopes, visibility, access, action).allowed()
                    || ownerMay(action, visibility, access));
  }

  @Test
  void aDecision_neverExceedsWhatTheEffectiveScopeAllows() {
    qt().forAll(SCOPE_LISTS, VISIBILITIES, ACCESSES, ACTIONS)
        .check(
            (scopes, visibility, access, action) ->
                !AccessPolicy.decide(scopes, visibility, access, action).allowed()
                    || scopeMay(Scope.effective(scopes), action, visibility));
  }

  @Test
  void aDecision_allowsEverythingBothTheScopeAndTheOwnerAllow() {
    qt().forAll(SCOPE_LISTS.assuming(s -> !s.isEmpty()), VISIBILITIES, ACCESSES, ACTIONS)
        .check(
            (scopes, visibility, access, action) ->
                AccessPolicy.decide(scopes, visibility, access, action).allowed()
                    == (scopeMay(Scope.effective(scopes), action, visibility)
                        && ownerMay(action, visibility, access)));
  }

  @Test
  void allowedActions_agreeWithTheDecisionForEachAction() {
    qt().forAll(SCOPE_LISTS, VISIBILITIES, ACCESSES, ACTIONS)
        .check(
            (scopes, visibility, access, action) ->
                AccessPolicy.allowedActions(scopes, visibility, access).contains(action)
                    == AccessPolicy.decide(scopes, visibility, access, action).allowed());
  }

  @Test
  void moreOwnerAccess_neverAllowsLess() {
    qt().forAll(SCOPE_LISTS, VISIBILITIES, ACCESSES, ACCESSES)
        .check(
            (scopes, visibility, a, b) -> {
              OwnerAccess low = a.includes(b) ? b : a;
              OwnerAccess high = a.includes(b) ? a : b;
              return AccessPolicy.allowedActions(scopes, visibility, high)
                  .containsAll(AccessPolicy.allowedActions(scopes, visibility, low));
            });
  }

  @Test
  void addingAScope_neverAllowsLess() {
    qt().forAll(SCOPE_LISTS, arbitrary().enumValues(Scope.class), VISIBILITIES, ACCESSES)
        .check(
            (scopes, extra, visibility, access) -> {
              List<Scope> more = new ArrayList<>(scopes);
              more.add(extra);
              return AccessPolicy.allowedActions(more, visibility, access)
                  .containsAll(AccessPolicy.allowedActions(scopes, visibility, access));
            });
  }

  /** The owner's own rights, independent of any token: what a password session may do. */
  private static boolean ownerMay(
      RegistryAction action, RepositoryVisibility visibility, OwnerAccess access) {
    return switch (action) {
      case PULL -> visibility == PUBLIC || access != NONE;
      case PUSH -> access == WRITE || access == ADMIN;
      default -> access == ADMIN;
    };
  }

  /** What the issue says each scope allows, before the owner's rights cap it. */
  private static boolean scopeMay(
      Scope scope, RegistryAction action, RepositoryVisibility visibility) {
    return switch (action) {
      case PULL -> visibility == PUBLIC || scope != Scope.REPO_PUBLIC_READ;
      case PUSH -> scope == Scope.REPO_WRITE || scope == Scope.REPO_ADMIN;
      default -> scope == Scope.REPO_ADMIN;
    };
  }
}
