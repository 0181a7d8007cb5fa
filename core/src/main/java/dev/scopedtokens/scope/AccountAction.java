package dev.scopedtokens.scope;

/**
 * Account administration. No access token may do any of these, whatever its scopes: they need a
 * session that began with the account's password.
 */
public enum AccountAction {
  /** Change the account's password. */
  CHANGE_PASSWORD("change the account's password"),
  /** Change the account's email address. */
  CHANGE_EMAIL("change the account's email address"),
  /** Turn two-factor authentication on or off, or change its settings or recovery codes. */
  CHANGE_TWO_FACTOR("change two-factor authentication settings"),
  /** Change any other account setting. */
  CHANGE_ACCOUNT_SETTINGS("change account settings"),
  /** Create, list, change or delete access tokens. */
  MANAGE_ACCESS_TOKENS("manage access tokens");

  private final String description;

  AccountAction(String description) {
    this.description = description;
  }

  /** Returns what the action does, in words, for messages, such as {@code manage access tokens}. */
  public String description() {
    return description;
  }
}
