package dev.scopedtokens.examples;

import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.testkit.Totp;
import dev.scopedtokens.token.TokenService;

/**
 * What the README's code leaves to the reader: the names its blocks use without defining them, as a
 * program that embeds the block would define them. {@link ReadmeBlocksTest} compiles a block that
 * needs them as a method of a subclass of this class. Add a name here only when the README's prose
 * says where it comes from (the presented token, the request's scope parameter, the registry's own
 * answers); anything of the SDK's must come from the SDK.
 */
public abstract class ReadmeGivens {
  /** The service the README's quick start built, which a registry verifies with. */
  protected TokenService tokens = TokenService.builder().build();

  /** The token string a client presented. */
  protected String presented = "stk_presented";

  /** The user name of HTTP Basic authentication. */
  protected String username = "alice";

  /** The password of HTTP Basic authentication: a token, for a registry built on the SDK. */
  protected String password = "stk_presented";

  /** The token database's password, from wherever the application keeps its secrets. */
  protected String databasePassword = "";

  /** The user's TOTP generator, for a second factor. */
  protected Totp totp = Totp.fromBase32("JBSWY3DPEHPK3PXP");

  /** The registry's request, as far as the README reads it. */
  protected Request request = () -> "repository:team/app:pull,push";

  /** The registry's own record of repositories. */
  protected Repositories repositories =
      (user, name) -> RepositoryAccess.of(RepositoryVisibility.PRIVATE, OwnerAccess.WRITE);

  /** A registry request, as far as the README reads it. */
  protected interface Request {
    /** The {@code scope} query parameter. */
    String scopeParameter();
  }

  /** The registry's own record of repositories. */
  protected interface Repositories {
    /** The repository's visibility and the user's own rights on it. */
    RepositoryAccess accessOf(String user, String repository);
  }

  /** Hands a new token's secret to its owner. */
  protected void deliver(TokenSecret secret) {}

  /** The registry's 401 answer. */
  protected Object unauthorized() {
    return "401";
  }

  /** The registry's answer with a signed registry token for the granted scopes. */
  protected Object issueRegistryToken(String user, String scopes) {
    return scopes;
  }
}
