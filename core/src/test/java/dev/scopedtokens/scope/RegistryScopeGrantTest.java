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
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class RegistryScopeGrantTest {

  private static final Map<String, RepositoryAccess> REPOSITORIES =
      Map.of(
          "me/private", RepositoryAccess.of(PRIVATE, ADMIN),
          "me/public", RepositoryAccess.of(PUBLIC, ADMIN),
          "team/app", RepositoryAccess.of(PRIVATE, WRITE),
          "team/docs", RepositoryAccess.of(PRIVATE, READ),
          "library/ubuntu", RepositoryAccess.of(PUBLIC, NONE),
          "localhost:5000/me/app", RepositoryAccess.of(PRIVATE, ADMIN));

  private static final Function<String, RepositoryAccess> LOOKUP =
      name -> REPOSITORIES.getOrDefault(name, RepositoryAccess.INACCESSIBLE);

  private static List<RegistryScope> grant(Scope scope, String requested) {
    return RegistryScope.grant(Set.of(scope), RegistryScope.parseAll(requested), LOOKUP);
  }

  private static String formatGrant(Scope scope, String requested) {
    return RegistryScope.formatAll(grant(scope, requested));
  }

  @Test
  void aRequestWithinWhatIsAllowed_isGrantedAsRequested() {
    assertThat(formatGrant(Scope.REPO_WRITE, "repository:team/app:pull,push"))
        .isEqualTo("repository:team/app:pull,push");
  }

  @Test
  void aRequestForMoreThanIsAllowed_isGrantedTheAllowedSubset_notRefused() {
    assertThat(formatGrant(Scope.REPO_READ, "repository:me/private:pull,push,delete"))
        .isEqualTo("repository:me/private:pull");
  }

  @Test
  void theWildcard_isGrantedAsEveryAllowedAction() {
    assertThat(formatGrant(Scope.REPO_WRITE, "repository:me/private:*"))
        .isEqualTo("repository:me/private:pull,push");
  }

  @Test
  void theOwnersOwnAccess_capsTheGrant() {
    assertThat(formatGrant(Scope.REPO_ADMIN, "repository:team/app:*"))
        .isEqualTo("repository:team/app:pull,push");
  }

  @Test
  void aRepositoryWhereNothingRequestedIsAllowed_getsNoEntry() {
    assertThat(formatGrant(Scope.REPO_READ, "repository:me/private:push repository:me/public:pull"))
        .isEqualTo("repository:me/public:pull");
  }

  @Test
  void anInaccessibleRepository_getsNoEntry() {
    assertThat(grant(Scope.REPO_ADMIN, "repository:someone/else:pull")).isEmpty();
  }

  @Test
  void publicRead_pullsSomeoneElsesPublicRepository() {
    assertThat(formatGrant(Scope.REPO_PUBLIC_READ, "repository:library/ubuntu:pull,push"))
        .isEqualTo("repository:library/ubuntu:pull");
  }

  @Test
  void theCatalog_isNeverGranted_notEvenToAdmin() {
    assertThat(grant(Scope.REPO_ADMIN, "registry:catalog:*")).isEmpty();
  }

  @Test
  void aResourceTypeOtherThanRepository_isNeverGranted() {
    assertThat(grant(Scope.REPO_ADMIN, "plugin:me/private:pull")).isEmpty();
  }

  @Test
  void anUnknownAction_isNeverGranted() {
    assertThat(formatGrant(Scope.REPO_ADMIN, "repository:me/private:mount,pull"))
        .isEqualTo("repository:me/private:pull");
  }

  @Test
  void aRequestOfUnknownActionsOnly_getsNoEntry() {
    assertThat(grant(Scope.REPO_ADMIN, "repository:me/private:mount")).isEmpty();
  }

  @Test
  void severalRequestsForOneRepository_mergeIntoOneEntry() {
    assertThat(
            formatGrant(
                Scope.REPO_ADMIN,
                "repository:me/private:push repository:team/app:pull repository:me/private:pull"))
        .isEqualTo("repository:me/private:pull,push repository:team/app:pull");
  }

  @Test
  void aNameWithAHostAndPort_isLookedUpAsRequested() {
    assertThat(formatGrant(Scope.REPO_ADMIN, "repository:localhost:5000/me/app:delete"))
        .isEqualTo("repository:localhost:5000/me/app:delete");
  }

  @Test
  void aResourceClass_isKeptInTheGrant() {
    assertThat(formatGrant(Scope.REPO_READ, "repository(plugin):me/private:pull,push"))
        .isEqualTo("repository(plugin):me/private:pull");
  }

  @Test
  void aTokenWithNoScope_isGrantedNothing() {
    assertThat(
            RegistryScope.grant(
                Set.of(), RegistryScope.parseAll("repository:me/public:pull"), LOOKUP))
        .isEmpty();
  }

  @Test
  void theRepositoryLookup_isAskedOncePerName() {
    List<String> asked = new ArrayList<>();

    RegistryScope.grant(
        Set.of(Scope.REPO_ADMIN),
        RegistryScope.parseAll(
            "repository:me/private:pull repository:me/private:push repository(plugin):me/private:pull"),
        name -> {
          asked.add(name);
          return LOOKUP.apply(name);
        });

    assertThat(asked).containsExactly("me/private");
  }

  @Test
  void aLookupThatAnswersNull_isANullPointerNamingTheRepository() {
    assertThatThrownBy(
            () ->
                RegistryScope.grant(
                    Set.of(Scope.REPO_ADMIN),
                    RegistryScope.parseAll("repository:ghost:pull"),
                    name -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("\"ghost\"")
        .hasMessageContaining("RepositoryAccess.INACCESSIBLE");
  }

  @Test
  void theGrant_isUnmodifiable() {
    List<RegistryScope> granted = grant(Scope.REPO_ADMIN, "repository:me/private:pull");

    assertThatThrownBy(() -> granted.add(RegistryScope.CATALOG))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // The laws of grant, for every token, request and repository table.

  /** The table below knows all but the last, which the lookup answers as inaccessible. */
  private static final List<String> NAMES = List.of("a", "b/c", "localhost:5000/d", "e", "ghost");

  private static final List<String> KNOWN_NAMES = NAMES.subList(0, NAMES.size() - 1);

  private static final Gen<RepositoryAccess> ACCESS =
      arbitrary()
          .enumValues(RepositoryVisibility.class)
          .zip(arbitrary().enumValues(OwnerAccess.class), RepositoryAccess::new);

  private static final Gen<Map<String, RepositoryAccess>> TABLES =
      lists()
          .of(ACCESS)
          .ofSize(KNOWN_NAMES.size())
          .map(
              accesses -> {
                Map<String, RepositoryAccess> table = new HashMap<>();
                for (int i = 0; i < KNOWN_NAMES.size(); i++) {
                  table.put(KNOWN_NAMES.get(i), accesses.get(i));
                }
                return table;
              });

  private static final Gen<Set<String>> ACTION_SETS =
      lists()
          .of(arbitrary().pick("pull", "push", "delete", "*", "mount"))
          .ofSizeBetween(1, 4)
          .map(l -> (Set<String>) new LinkedHashSet<>(l));

  private static final Gen<RegistryScope> REPOSITORY_REQUESTS =
      arbitrary()
          .pick(NAMES)
          .zip(
              ACTION_SETS,
              booleans().all(),
              (name, actions, plugin) ->
                  new RegistryScope(
                      RegistryScope.REPOSITORY,
                      plugin ? Optional.of("plugin") : Optional.empty(),
                      name,
                      actions));

  private static final Gen<RegistryScope> REQUESTS =
      REPOSITORY_REQUESTS.mix(arbitrary().constant(RegistryScope.CATALOG), 10);

  private static final Gen<List<RegistryScope>> REQUEST_LISTS =
      lists().of(REQUESTS).ofSizeBetween(0, 6);

  private static final Gen<List<Scope>> TOKEN_SCOPES =
      lists().of(arbitrary().enumValues(Scope.class)).ofSizeBetween(0, 3);

  /** A grant or request as a map from (class, name) to the registry actions it names. */
  private static Map<List<Object>, Set<RegistryAction>> asMap(List<RegistryScope> scopes) {
    Map<List<Object>, Set<RegistryAction>> map = new LinkedHashMap<>();
    for (RegistryScope scope : scopes) {
      if (scope.isRepository()) {
        map.computeIfAbsent(
                List.of(scope.resourceClass(), scope.name()),
                k -> EnumSet.noneOf(RegistryAction.class))
            .addAll(scope.registryActions());
      }
    }
    map.values().removeIf(Set::isEmpty);
    return map;
  }

  private static boolean isSubset(
      Map<List<Object>, Set<RegistryAction>> small, Map<List<Object>, Set<RegistryAction>> large) {
    return small.entrySet().stream()
        .allMatch(e -> large.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()));
  }

  private static Function<String, RepositoryAccess> lookup(Map<String, RepositoryAccess> table) {
    return name -> table.getOrDefault(name, RepositoryAccess.INACCESSIBLE);
  }

  @Test
  void theGrant_isASubsetOfTheRequest() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, TABLES)
        .check(
            (scopes, requested, table) ->
                isSubset(
                    asMap(RegistryScope.grant(scopes, requested, lookup(table))),
                    asMap(requested)));
  }

  @Test
  void theGrant_isASubsetOfWhatIsAllowed() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, TABLES)
        .checkAssert(
            (scopes, requested, table) -> {
              for (RegistryScope granted : RegistryScope.grant(scopes, requested, lookup(table))) {
                assertThat(AccessPolicy.allowedActions(scopes, lookup(table).apply(granted.name())))
                    .containsAll(granted.registryActions());
              }
            });
  }

  @Test
  void theGrant_isEverythingRequestedThatIsAllowed() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, TABLES)
        .checkAssert(
            (scopes, requested, table) -> {
              Map<List<Object>, Set<RegistryAction>> granted =
                  asMap(RegistryScope.grant(scopes, requested, lookup(table)));
              asMap(requested)
                  .forEach(
                      (resource, actions) -> {
                        Set<RegistryAction> expected = EnumSet.noneOf(RegistryAction.class);
                        expected.addAll(actions);
                        expected.retainAll(
                            AccessPolicy.allowedActions(
                                scopes, lookup(table).apply((String) resource.get(1))));
                        assertThat(granted.getOrDefault(resource, Set.of()))
                            .containsExactlyInAnyOrderElementsOf(expected);
                      });
            });
  }

  @Test
  void theGrant_isIdempotent() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, TABLES)
        .checkAssert(
            (scopes, requested, table) -> {
              List<RegistryScope> once = RegistryScope.grant(scopes, requested, lookup(table));
              assertThat(RegistryScope.grant(scopes, once, lookup(table))).isEqualTo(once);
            });
  }

  @Test
  void theGrant_isMonotoneInTheRequest() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, lists().of(booleans().all()).ofSize(6), TABLES)
        .check(
            (scopes, requested, keep, table) -> {
              List<RegistryScope> fewer = new ArrayList<>();
              for (int i = 0; i < requested.size(); i++) {
                if (keep.get(i)) {
                  fewer.add(requested.get(i));
                }
              }
              return isSubset(
                  asMap(RegistryScope.grant(scopes, fewer, lookup(table))),
                  asMap(RegistryScope.grant(scopes, requested, lookup(table))));
            });
  }

  @Test
  void theGrant_isMonotoneInTheTokensScopes() {
    qt().forAll(TOKEN_SCOPES, arbitrary().enumValues(Scope.class), REQUEST_LISTS, TABLES)
        .check(
            (scopes, extra, requested, table) -> {
              List<Scope> more = new ArrayList<>(scopes);
              more.add(extra);
              return isSubset(
                  asMap(RegistryScope.grant(scopes, requested, lookup(table))),
                  asMap(RegistryScope.grant(more, requested, lookup(table))));
            });
  }

  @Test
  void theWildcard_grantsExactlyWhatListingEveryActionGrants() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, TABLES)
        .checkAssert(
            (scopes, requested, table) -> {
              List<RegistryScope> listed =
                  requested.stream()
                      .map(RegistryScopeGrantTest::listEveryActionForTheWildcard)
                      .collect(Collectors.toList());
              assertThat(RegistryScope.grant(scopes, listed, lookup(table)))
                  .isEqualTo(RegistryScope.grant(scopes, requested, lookup(table)));
            });
  }

  @Test
  void theGrant_namesOnlyRepositoriesAndKnownActions() {
    qt().forAll(TOKEN_SCOPES, REQUEST_LISTS, TABLES)
        .checkAssert(
            (scopes, requested, table) ->
                assertThat(RegistryScope.grant(scopes, requested, lookup(table)))
                    .allSatisfy(
                        g -> {
                          assertThat(g.isRepository()).isTrue();
                          assertThat(g.actions()).isSubsetOf("pull", "push", "delete");
                        }));
  }

  private static RegistryScope listEveryActionForTheWildcard(RegistryScope scope) {
    if (!scope.isRepository() || !scope.actions().contains(RegistryScope.WILDCARD)) {
      return scope;
    }
    Set<String> actions = new LinkedHashSet<>(scope.actions());
    actions.remove(RegistryScope.WILDCARD);
    actions.addAll(List.of(PULL.wireValue(), PUSH.wireValue(), DELETE.wireValue()));
    return new RegistryScope(scope.resourceType(), scope.resourceClass(), scope.name(), actions);
  }
}
