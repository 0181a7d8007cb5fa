package dev.scopedtokens.examples;

import static dev.scopedtokens.testkit.TokenAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.client.CreatedAccessToken;
import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.AccessPolicy;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RegistryAction;
import dev.scopedtokens.scope.RegistryScope;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.testkit.FakeClock;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.RejectionReason;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The README's snippets that need values from the reader, run with those values filled in and their
 * outcome checked. {@link ReadmeBlocksTest} is what keeps the README from drifting: it compiles
 * every block from {@code README.md} itself; this class checks that the blocks that it can only
 * compile also do what the README says.
 */
class ReadmeExamplesTest {
  private final FakeClock clock = FakeClock.atDefaultStart();

  @Test
  void coreQuickStart_issuesAndVerifies() {
    TokenService tokens =
        TokenService.builder().plans(account -> Plan.PRO_2021).clock(clock).build();

    IssuedToken issued =
        tokens.create(
            "alice",
            TokenRequest.of("CI", Scope.REPO_READ)
                .expiringAt(clock.instant().plus(Duration.ofDays(90))));
    String presented = issued.secret().reveal();

    VerificationResult result = tokens.verify("alice", TokenSecret.of(presented));
    Set<RegistryAction> may = Set.of();
    if (result instanceof VerificationResult.Verified verified) {
      may =
          AccessPolicy.allowedActions(
              verified.token().scopes(), RepositoryVisibility.PRIVATE, OwnerAccess.WRITE);
    }

    assertThat(may).containsExactly(RegistryAction.PULL);
    assertThat(tokens.verify("bob", TokenSecret.of(presented)))
        .isRejectedFor(RejectionReason.WRONG_OWNER);
  }

  @Test
  void testkitQuickStart_clientAgainstTheFake() {
    try (FakeDockerHub fake = FakeDockerHub.builder().clock(clock).start()) {
      fake.addUser("alice", "correct horse");
      HubClient client =
          HubClient.builder()
              .baseUri(fake.baseUri())
              .credentials(Credentials.password("alice", "correct horse"))
              .clock(clock)
              .build();
      CreatedAccessToken created = client.create("ci", Set.of(Scope.REPO_WRITE));
      clock.advance(Duration.ofMinutes(11)); // the JWT has expired; the client renews it

      assertThat(client.listPage(1, 10).count()).isEqualTo(1);
      assertThat(fake.tokens().verify("alice", created.secret()))
          .isVerified()
          .verifiedToken()
          .hasScope(Scope.REPO_WRITE);
    }
  }

  @Test
  void registryIntegration_grantsRequestedAndAllowed() {
    TokenService tokens =
        TokenService.builder()
            .hasher(HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256")))
            .clock(clock)
            .build();
    String username = "alice";
    String password =
        tokens.create(username, TokenRequest.of("laptop", Scope.REPO_WRITE)).secret().reveal();

    // Authorization: Basic base64(username:token), and ?scope=repository:team/app:pull,push
    VerificationResult result = tokens.verify(username, TokenSecret.of(password));
    assertThat(result).isVerified();
    List<RegistryScope> granted =
        RegistryScope.grant(
            ((VerificationResult.Verified) result).token().scopes(),
            RegistryScope.parseAll("repository:team/app:pull,push,delete registry:catalog:*"),
            name -> RepositoryAccess.of(RepositoryVisibility.PRIVATE, OwnerAccess.ADMIN));

    assertThat(RegistryScope.formatAll(granted)).isEqualTo("repository:team/app:pull,push");
  }
}
