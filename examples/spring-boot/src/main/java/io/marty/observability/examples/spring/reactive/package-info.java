/** Part of the Spring Boot sample; see {@link io.marty.observability.examples.spring}. */
@NullMarked
package io.marty.observability.examples.spring.reactive;

import org.jspecify.annotations.NullMarked;
