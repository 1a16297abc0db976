/**
 * Identity stitching (issue 24): the {@code stitch} step resolves every id the events carry (known customer
 * ids, anonymous ids, extra id columns) to one customer. {@link io.lifecycle.identity.IdentityGraph} holds the
 * rules as pure transforms: the identity graph's connected components in Spark, the {@code identity_map}
 * rows, and each event's resolved customer. A step: it may use {@code pipeline} and the neutral packages.
 */
package io.lifecycle.identity;
