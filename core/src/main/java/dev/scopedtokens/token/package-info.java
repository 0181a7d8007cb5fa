/** Tokens, their lifecycle and their verification: start with {@code TokenService}. */
package dev.scopedtokens.token;
