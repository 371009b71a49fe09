/** JDBC: a {@code DataSource} wrapper with client spans, DB metrics, SQL sanitising and slow-query logs. */
@NullMarked
package io.marty.observability.jdbc;

import org.jspecify.annotations.NullMarked;
