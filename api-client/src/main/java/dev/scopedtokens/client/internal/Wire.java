package dev.scopedtokens.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/**
 * The JSON bodies of Docker Hub's access-token and login API as Jackson binds them. Nothing but the
 * records lives here: reading, checking and mapping them to the public types is the client
 * package's job. The package is opened to Jackson alone and exported to no one.
 */
public final class Wire {
  private Wire() {}

  // ---------------------------------------------------------------- requests

  /** {@code POST /v2/access-tokens}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CreateBody(
      @JsonProperty("token_label") String label,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("expires_at") String expiresAt) {}

  /** {@code PATCH /v2/access-tokens/{uuid}}: a new label, or a new state. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PatchBody(
      @JsonProperty("token_label") String label, @JsonProperty("is_active") Boolean active) {}

  /** {@code POST /v2/users/login}. Not printable: it holds the password. */
  public record LoginBody(
      @JsonProperty("username") String username, @JsonProperty("password") String password) {
    @Override
    public String toString() {
      return "LoginBody[username=" + username + ", password=redacted]";
    }
  }

  /** {@code POST /v2/users/2fa-login}. */
  public record TwoFactorBody(
      @JsonProperty("login_2fa_token") String loginToken, @JsonProperty("code") String code) {
    @Override
    public String toString() {
      return "TwoFactorBody[redacted]";
    }
  }

  /** {@code POST /v2/auth/token}. */
  public record AuthTokenBody(
      @JsonProperty("identifier") String identifier, @JsonProperty("secret") String secret) {
    @Override
    public String toString() {
      return "AuthTokenBody[identifier=" + identifier + ", secret=redacted]";
    }
  }

  // ---------------------------------------------------------------- responses

  /** The token object. {@code token} is the secret on create and {@code ""} everywhere else. */
  public record TokenBody(
      @JsonProperty("uuid") String uuid,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("creator_ip") String creatorIp,
      @JsonProperty("creator_ua") String creatorUa,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("last_used") String lastUsed,
      @JsonProperty("generated_by") String generatedBy,
      @JsonProperty("is_active") Boolean active,
      @JsonProperty("token") String token,
      @JsonProperty("token_label") String label,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("expires_at") String expiresAt) {
    @Override
    public String toString() {
      return "TokenBody[uuid=" + uuid + ", token=redacted]";
    }
  }

  /** A page of {@code GET /v2/access-tokens}. */
  public record PageBody(
      @JsonProperty("count") BigDecimal count,
      @JsonProperty("next") String next,
      @JsonProperty("previous") String previous,
      @JsonProperty("active_count") BigDecimal activeCount,
      @JsonProperty("results") List<TokenBody> results) {}

  /** {@code /v2/users/login} and {@code /v2/users/2fa-login}, success and failure alike. */
  public record LoginResponse(
      @JsonProperty("token") String token,
      @JsonProperty("detail") String detail,
      @JsonProperty("login_2fa_token") String loginToken) {
    @Override
    public String toString() {
      return "LoginResponse[redacted]";
    }
  }

  /** {@code /v2/auth/token}. */
  public record AuthTokenResponse(@JsonProperty("access_token") String accessToken) {
    @Override
    public String toString() {
      return "AuthTokenResponse[redacted]";
    }
  }
}
