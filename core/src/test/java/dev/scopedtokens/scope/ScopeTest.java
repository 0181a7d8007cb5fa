package dev.scopedtokens.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

class ScopeTest {

  private static final Gen<Scope> SCOPES = arbitrary().enumValues(Scope.class);

  @ParameterizedTest
  @CsvSource({
    "repo:public_read, REPO_PUBLIC_READ",
    "repo:read,        REPO_READ",
    "repo:write,       REPO_WRITE",
    "repo:admin,       REPO_ADMIN"
  })
  void parse_acceptsEachWireValue(String wire, Scope expected) {
    assertThat(Scope.parse(wire)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Scope.class)
  void parse_ofWireValue_roundTrips(Scope scope) {
    assertThat(Scope.parse(scope.wireValue())).isSameAs(scope);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "REPO:READ",
        "repo:Read",
        " repo:read",
        "repo:read ",
        "repo:",
        "read",
        "",
        "repo:delete",
        "repo:read,repo:write",
        "repo:public-read",
        "repo:read\n"
      })
  void parse_rejectsAnythingButAnExactWireValue_listingTheValidOnes(String value) {
    assertThatThrownBy(() -> Scope.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scope: unknown value")
        .hasMessageContaining(
            "valid values are repo:public_read, repo:read, repo:write, repo:admin");
  }

  @Test
  void parse_rejectsNull_withAnIllegalArgument() {
    assertThatThrownBy(() -> Scope.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown value null");
  }

  @Test
  void parse_boundsWhatItEchoesOfAHugeValue() {
    String huge = "x".repeat(100_000);

    assertThatThrownBy(() -> Scope.parse(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void parse_escapesControlCharactersInWhatItEchoes() {
    assertThatThrownBy(() -> Scope.parse("repo:read\r\nforged log line"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n"));
  }

  @Test
  void find_returnsEmptyForAnUnknownValue() {
    assertThat(Scope.find("repo:everything")).isEmpty();
  }

  @Test
  void find_returnsEmptyForNull() {
    assertThat(Scope.find(null)).isEmpty();
  }

  /** The documented chain, row by row: public_read < read < write < admin. */
  @ParameterizedTest(name = "{0} implies {1}: {2}")
  @CsvSource({
    "REPO_PUBLIC_READ, REPO_PUBLIC_READ, true",
    "REPO_PUBLIC_READ, REPO_READ,        false",
    "REPO_PUBLIC_READ, REPO_WRITE,       false",
    "REPO_PUBLIC_READ, REPO_ADMIN,       false",
    "REPO_READ,        REPO_PUBLIC_READ, true",
    "REPO_READ,        REPO_READ,        true",
    "REPO_READ,        REPO_WRITE,       false",
    "REPO_READ,        REPO_ADMIN,       false",
    "REPO_WRITE,       REPO_PUBLIC_READ, true",
    "REPO_WRITE,       REPO_READ,        true",
    "REPO_WRITE,       REPO_WRITE,       true",
    "REPO_WRITE,       REPO_ADMIN,       false",
    "REPO_ADMIN,       REPO_PUBLIC_READ, true",
    "REPO_ADMIN,       REPO_READ,        true",
    "REPO_ADMIN,       REPO_WRITE,       true",
    "REPO_ADMIN,       REPO_ADMIN,       true"
  })
  void implies_followsTheDocumentedChain(Scope scope, Scope other, boolean expected) {
    assertThat(scope.implies(other)).isEqualTo(expected);
  }

  @Test
  void implies_rejectsNull() {
    assertThatThrownBy(() -> Scope.REPO_READ.implies(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void effective_isTheHighestScopeCarried() {
    assertThat(Scope.effective(List.of(Scope.REPO_READ, Scope.REPO_WRITE, Scope.REPO_PUBLIC_READ)))
        .isEqualTo(Scope.REPO_WRITE);
  }

  @Test
  void effective_ofNoScopes_isRejected() {
    assertThatThrownBy(() -> Scope.effective(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scopes: must not be empty");
  }

  @Test
  void effective_withANullScope_isRejected() {
    assertThatThrownBy(() -> Scope.effective(Arrays.asList(Scope.REPO_READ, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("scopes must not contain null");
  }

  @Test
  void implication_isReflexive() {
    qt().forAll(SCOPES).check(s -> s.implies(s));
  }

  @Test
  void implication_isAntisymmetric() {
    qt().forAll(SCOPES, SCOPES).check((a, b) -> !(a.implies(b) && b.implies(a)) || a == b);
  }

  @Test
  void implication_isTransitive() {
    qt().forAll(SCOPES, SCOPES, SCOPES)
        .check((a, b, c) -> !(a.implies(b) && b.implies(c)) || a.implies(c));
  }

  @Test
  void implication_isTotal() {
    qt().forAll(SCOPES, SCOPES).check((a, b) -> a.implies(b) || b.implies(a));
  }

  @Test
  void effective_isTheMaximumOfAnyNonEmptyCollection() {
    qt().forAll(lists().of(SCOPES).ofSizeBetween(1, 8))
        .checkAssert(
            scopes -> {
              Scope effective = Scope.effective(scopes);
              assertThat(scopes).contains(effective);
              assertThat(scopes).allSatisfy(s -> assertThat(effective.implies(s)).isTrue());
            });
  }

  @Test
  void effective_doesNotDependOnOrder() {
    qt().forAll(lists().of(SCOPES).ofSizeBetween(1, 8))
        .checkAssert(
            scopes -> {
              List<Scope> reversed = new ArrayList<>(scopes);
              Collections.reverse(reversed);
              assertThat(Scope.effective(reversed)).isEqualTo(Scope.effective(scopes));
            });
  }
}
