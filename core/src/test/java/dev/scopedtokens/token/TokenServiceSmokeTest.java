package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import org.junit.jupiter.api.Test;

class TokenServiceSmokeTest {
  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final TokenService service = Fixtures.service(clock, Plan.FAIR_USE).build();

  @Test
  void createdToken_verifiesAndIsListed() {
    IssuedToken issued = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));

    VerificationResult result = service.verify(ALICE, issued.secret());

    assertThat(result).isInstanceOf(VerificationResult.Verified.class);
    assertThat(((VerificationResult.Verified) result).effectiveScope()).isEqualTo(Scope.REPO_READ);
    TokenPage page = service.list(ALICE, PageRequest.first(10));
    assertThat(page.tokens()).extracting(AccessToken::id).containsExactly(issued.token().id());
    assertThat(page.total()).isEqualTo(1);
    assertThat(page.activeCount()).isEqualTo(1);
  }
}
