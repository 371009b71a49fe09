/**
 * Reading YAML spec files the same way everywhere: SLO specs, log-analysis rules and alert rules.
 *
 * <ul>
 *   <li>{@link io.marty.observability.spec.Durations}: the one duration grammar ({@code 500ms}, {@code 5m},
 *       {@code 1h30m}, {@code 7d}, {@code 1w}, ISO-8601 {@code PT5M}, {@code P1D}, {@code P1W}).
 *   <li>{@link io.marty.observability.spec.SpecNode}: a line-numbered node reader on SnakeYAML's node API,
 *       with typed accessors, required and optional keys and unknown-key detection.
 *   <li>{@link io.marty.observability.spec.SpecException}: every error, formatted
 *       {@code <file>:<line>:<col>: <path.to.key>: <what is wrong>}.
 * </ul>
 *
 * <pre>{@code
 * // checkout.yaml
 * // service: checkout
 * // windows: [5m, 1h30m]
 * // retention: P1W
 * SpecNode root = SpecNode.read(Files.readString(file), file.toString());
 * root.checkKeys(Set.of("service", "windows", "retention"));
 * String service = root.string("service");
 * List<Duration> windows = root.list("windows").stream().map(SpecNode::asDuration).toList();
 * Duration retention = root.duration("retention", Duration.ofDays(30));
 * // a typo 'servce:' fails with
 * // checkout.yaml:1:1: servce: unknown key (did you mean 'service'?); allowed: retention, service, windows
 * }</pre>
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.spec;

import org.jspecify.annotations.NullMarked;
