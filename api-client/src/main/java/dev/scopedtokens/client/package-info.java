/**
 * A typed client for Docker Hub's personal access token API ({@code /v2/access-tokens}) and for any
 * registry that offers the same REST API.
 *
 * <p>{@link dev.scopedtokens.client.HubClient#builder()} is the front door. Every failure is a
 * {@link dev.scopedtokens.client.HubException}, with one subclass per cause.
 */
package dev.scopedtokens.client;
