/** Token secrets: the plaintext wrapper, the token format and the hashers that verify secrets. */
package dev.scopedtokens.secret;
