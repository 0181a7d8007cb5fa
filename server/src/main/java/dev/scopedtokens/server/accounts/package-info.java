/**
 * The accounts SPI: {@link dev.scopedtokens.server.accounts.AccountDirectory}, what the server asks
 * a registry about passwords, two-factor authentication and repository access.
 */
package dev.scopedtokens.server.accounts;
