/** Implementation of the Spring Boot auto-configuration; not an API. */
@NullMarked
package io.marty.observability.spring.boot.internal;

import org.jspecify.annotations.NullMarked;
