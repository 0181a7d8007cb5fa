/**
 * The client's implementation: the request pipeline, login, retries, paging and the wire format.
 * Not exported; nothing here is API.
 */
package dev.scopedtokens.client.internal;
