/** Repository scopes, what each allows, and the registry token-protocol scopes. */
package dev.scopedtokens.scope;
