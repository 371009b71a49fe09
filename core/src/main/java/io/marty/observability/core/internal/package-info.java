/** Internal, unstable implementation classes; never import them from another module. */
package io.marty.observability.core.internal;
