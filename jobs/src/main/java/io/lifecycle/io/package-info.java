/**
 * Input and output at the edges: the Delta store every step writes through (replace, merge, commit
 * metrics), output locations, the run lock and the local file system. Neutral: it may use {@code config}
 * and {@code tables}.
 */
package io.lifecycle.io;
