/** Quickstart: the smallest service that uses only the core API (run it with {@code ./marty demo}). */
package io.marty.observability.examples.quickstart;
