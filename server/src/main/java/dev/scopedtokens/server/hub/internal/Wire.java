package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The management API's response bodies, field for field as Docker Hub writes them. They are the
 * server's own reading of the contract, written apart from the client's so that each checks the
 * other.
 */
final class Wire {
  private Wire() {}

  /** A personal access token; {@code token} holds the secret only in the answer to a create. */
  record Token(
      @JsonProperty("uuid") String uuid,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("creator_ip") String creatorIp,
      @JsonProperty("creator_ua") String creatorUa,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("last_used") @JsonInclude(JsonInclude.Include.ALWAYS) String lastUsed,
      @JsonProperty("generated_by") String generatedBy,
      @JsonProperty("is_active") boolean isActive,
      @JsonProperty("token") String token,
      @JsonProperty("token_label") String tokenLabel,
      @JsonProperty("scopes") List<String> scopes,
      // Omitted when the token never expires: one of the three forms clients must accept.
      @JsonProperty("expires_at") @JsonInclude(JsonInclude.Include.NON_NULL) String expiresAt) {}

  /** One page of tokens; {@code next} and {@code previous} are absolute URLs or null. */
  record TokenList(
      @JsonProperty("count") long count,
      @JsonProperty("next") @JsonInclude(JsonInclude.Include.ALWAYS) String next,
      @JsonProperty("previous") @JsonInclude(JsonInclude.Include.ALWAYS) String previous,
      @JsonProperty("active_count") long activeCount,
      @JsonProperty("results") List<Token> results) {}

  /** The spec's {@code ValueError}: 400 with the problems of each field. */
  record ValueError(
      @JsonProperty("fields") Map<String, List<String>> fields,
      @JsonProperty("text") String text) {}

  /** The spec's {@code Error}, with the live service's {@code errinfo}; absent parts omitted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ErrorBody(
      @JsonProperty("detail") String detail,
      @JsonProperty("message") String message,
      @JsonProperty("errinfo") Map<String, Object> errinfo) {}

  /** {@code POST /v2/auth/token}: 200. */
  record AccessTokenGranted(@JsonProperty("access_token") String accessToken) {}

  /** {@code POST /v2/users/login} and {@code /v2/users/2fa-login}: 200. */
  record LoginGranted(@JsonProperty("token") String token) {}

  /** The login endpoints' 401, with the second-factor token when one is required. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LoginRefused(
      @JsonProperty("detail") String detail,
      @JsonProperty("login_2fa_token") String login2faToken) {}

  /** 429, as the spec shows it. */
  record RateLimited(@JsonProperty("detail") String detail, @JsonProperty("error") boolean error) {}
}
