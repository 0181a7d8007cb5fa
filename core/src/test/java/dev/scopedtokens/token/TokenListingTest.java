package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenListingTest {
  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final TokenService service = Fixtures.service(clock, Plan.FAIR_USE).build();

  private List<UUID> createFive() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(service.create(ALICE, TokenRequest.of("t" + i, Scope.REPO_READ)).token().id());
      clock.advance(Duration.ofSeconds(1));
    }
    return ids;
  }

  @Test
  void pages_listNewestFirst() {
    List<UUID> ids = createFive();
    Collections.reverse(ids);

    TokenPage first = service.list(ALICE, PageRequest.of(1, 2));
    TokenPage second = service.list(ALICE, PageRequest.of(2, 2));
    TokenPage third = service.list(ALICE, PageRequest.of(3, 2));

    assertThat(first.tokens()).extracting(AccessToken::id).containsExactly(ids.get(0), ids.get(1));
    assertThat(second.tokens()).extracting(AccessToken::id).containsExactly(ids.get(2), ids.get(3));
    assertThat(third.tokens()).extracting(AccessToken::id).containsExactly(ids.get(4));
    assertThat(first.hasPrevious()).isFalse();
    assertThat(first.hasNext()).isTrue();
    assertThat(third.hasNext()).isFalse();
    assertThat(third.hasPrevious()).isTrue();
  }

  @Test
  void pagePastTheEnd_isEmpty_butCarriesTheCounts() {
    createFive();

    TokenPage page = service.list(ALICE, PageRequest.of(9, 10));

    assertThat(page.tokens()).isEmpty();
    assertThat(page.total()).isEqualTo(5);
    assertThat(page.activeCount()).isEqualTo(5);
  }

  @Test
  void activeCount_leavesOutInactiveRevokedAndExpiredTokens() {
    List<UUID> ids = createFive();
    service.deactivate(ALICE, ids.get(0));
    service.revoke(ALICE, ids.get(1));
    service.create(
        ALICE,
        TokenRequest.of("short", Scope.REPO_READ).expiringAt(clock.instant().plusSeconds(1)));
    clock.advance(Duration.ofSeconds(1));

    TokenPage page = service.list(ALICE, PageRequest.first(10));

    assertThat(page.total()).isEqualTo(6);
    assertThat(page.activeCount()).isEqualTo(3);
  }

  @Test
  void anAccountWithoutTokens_listsAnEmptyPage() {
    TokenPage page = service.list("nobody", PageRequest.first(10));

    assertThat(page).isEqualTo(new TokenPage(List.of(), 1, 10, 0, 0));
  }

  @ParameterizedTest(name = "page {0}, size {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | 10 | page: 0; must be 1 or more",
        "1 | 0 | size: 0; must be 1 to 100",
        "1 | 101 | size: 101; must be 1 to 100",
      })
  void invalidPageRequest_isRefused(int page, int size, String message) {
    assertThatThrownBy(() -> PageRequest.of(page, size))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(message);
  }

  @Test
  void pageRequest_knowsItsOffsetAndTheNextPage() {
    PageRequest third = PageRequest.of(3, 25);

    assertThat(third.offset()).isEqualTo(50);
    assertThat(third.next()).isEqualTo(PageRequest.of(4, 25));
  }
}
