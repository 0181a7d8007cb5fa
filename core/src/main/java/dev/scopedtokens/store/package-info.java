/**
 * Token storage: the {@link dev.scopedtokens.store.TokenStore} SPI that a service implements over
 * its own database, and {@link dev.scopedtokens.store.InMemoryTokenStore}, the embedded default.
 */
package dev.scopedtokens.store;
